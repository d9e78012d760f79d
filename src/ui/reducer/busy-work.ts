import type { Text } from '../text.js';
import type { DisplayMessages } from '../../i18n/messages.js';
import { errorCode, errorLine } from '../error-lines.js';
import type { BusyWork, PrintAction, UiEvent } from './events.js';
import { command, go, notice, showSale, texts, type Step } from './step.js';

/**
 * Work the busy screen waits for (a print action, starting a Centrapay sale): the busy screen
 * while it runs, then its outcome. When another screen came up meanwhile (the inactivity
 * timeout), a late outcome is dropped: whatever the work started reports through the engine's
 * events.
 */

function printTitle(action: PrintAction, t: DisplayMessages): Text {
  if (action === 'reprintLast') return t.notices.copy;
  if (action === 'printTableCards') return t.notices.tableCards;
  return t.notices.dayReport;
}

function title(work: BusyWork, t: DisplayMessages): Text {
  return work.kind === 'print' ? printTitle(work.action, t) : t.notices.centrapay;
}

/** Shows the busy screen and starts `work`. */
export function runBusy(s: Step, work: BusyWork): Step {
  const t = texts(s.state);
  const busy = go(s, { name: 'busy', title: title(work, t), detail: work.kind === 'print' ? t.notices.sendingToPrinter : t.notices.starting });
  return command(busy, { type: 'work', work, generation: busy.state.generation });
}

/** A menu item that prints; without the print actions it says "Not configured". */
export function runPrint(s: Step, action: PrintAction): Step {
  const t = texts(s.state);
  if (!s.state.settings.actions) return notice(s, printTitle(action, t), t.notices.notConfigured, 'failure');
  return runBusy(s, { kind: 'print', action });
}

/** The outcome of busy work, on the busy screen it came from. */
export function workDone(s: Step, event: Extract<UiEvent, { type: 'printed' | 'centrapayStarted' | 'workFailed' }>): Step {
  if (event.generation !== s.state.generation) return s;
  const t = texts(s.state);
  switch (event.type) {
    case 'printed':
      return notice(s, printTitle(event.action, t), t.notices.sentToPrinter);
    case 'centrapayStarted':
      return showSale(s, event.sale);
    case 'workFailed': {
      const logged = errorCode(event.error) === undefined ? command(s, { type: 'log', error: event.error, during: 'menu action' }) : s;
      return notice(logged, title(event.work, t), errorLine(event.error, t), 'failure');
    }
  }
}
