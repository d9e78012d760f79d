import { center, type Lines } from '../text.js';
import type { ScreenState } from '../ui-state.js';

/** A menu action at work ("Printing / COPY"); keys wait until it has finished. */
export function render(state: ScreenState<'busy'>, width: number): Lines {
  return [center(state.screen.title, width), center(state.screen.detail, width)];
}
