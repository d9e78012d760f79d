import { center, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';

/** What the display keeps after the terminal has stopped. */
export function render(state: ScreenState<'closed'>, width: number): Lines {
  return [center(state.ctx.lang.t.display.notices.closed, width), ''];
}
