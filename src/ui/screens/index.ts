import type { Lines } from '../text.js';
import { pick } from '../text.js';
import type { Screen, ScreenState, UiState } from '../ui-state.js';
import * as amountEntry from './amount-entry.js';
import * as busy from './busy.js';
import * as closed from './closed.js';
import * as confirmCancel from './confirm-cancel.js';
import * as idle from './idle.js';
import * as menu from './menu.js';
import * as refund from './refund-screens.js';
import * as result from './result.js';
import * as scanCode from './scan-code.js';
import * as status from './status.js';
import * as tableEntry from './table-entry.js';
import * as waiting from './waiting.js';

function view<N extends Screen['name']>(screen: Extract<Screen, { name: N }>, state: UiState): ScreenState<N> {
  return { screen, ctx: state.ctx };
}

/** The screen's two lines; a flash (a refusal such as "No such table") replaces the first. */
export function renderState(state: UiState, width: number): Lines {
  const lines = renderScreen(state, width);
  if (state.flash === undefined) return lines;
  return [pick(state.flash, width), lines[1]];
}

function renderScreen(state: UiState, width: number): Lines {
  const screen = state.screen;
  switch (screen.name) {
    case 'idle':
      return idle.render(view(screen, state), width);
    case 'table-entry':
      return tableEntry.render(view(screen, state), width);
    case 'amount-entry':
      return amountEntry.render(view(screen, state), width);
    case 'scan-code':
      return scanCode.render(view(screen, state), width);
    case 'waiting':
      return waiting.render(view(screen, state), width);
    case 'confirm-cancel':
      return confirmCancel.render(view(screen, state), width);
    case 'result':
      return result.render(view(screen, state), width);
    case 'menu':
      return menu.render(view(screen, state), width);
    case 'status':
      return status.render(view(screen, state), width);
    case 'busy':
      return busy.render(view(screen, state), width);
    case 'closed':
      return closed.render(view(screen, state), width);
    case 'refund-pin':
      return refund.renderPin(view(screen, state), width);
    case 'refund-number':
      return refund.renderNumber(view(screen, state), width);
    case 'refund-confirm':
      return refund.renderConfirm(view(screen, state), width);
    case 'refund-waiting':
      return refund.renderWaiting(view(screen, state), width);
  }
}
