import { errorLine } from '../error-lines.js';
import type { TerminalState, UiContext, UiSettings } from '../ui-state.js';
import { workDone } from './busy-work.js';
import type { UiEvent } from './events.js';
import { pressKey } from './keys.js';
import { codeSaleTimedOut, engineAnswered, engineRefused, saleChanged, saleRead } from './sale-steps.js';
import { refundEvent } from './refund-steps.js';
import { scanned } from './scans.js';
import { clearFlash, flash, go, setContext, stepFrom, texts, type Step } from './step.js';

/**
 * The terminal's UI as a pure function: `(state, event) -> { state, commands }`. What happened
 * (a key, a scan, an engine change, an answer to a command, a timer) moves the state from screen
 * to screen; what is to be done about it (call the engine, start a menu action, sound the
 * buzzer, set a timer, log a bug) comes back as commands, which TerminalUi runs in order. No I/O,
 * no clock, and the state passed in is never changed.
 *
 * The screens (screens/*.ts) render the state; the keys of each screen are in keys.ts, scans in
 * scans.ts, the sale's way through the engine in sales.ts, the busy screen's work in
 * busy-work.ts, and the transitions they share in step.ts.
 */
export function reduce(state: TerminalState, event: UiEvent): Step {
  const s = stepFrom(state);
  switch (event.type) {
    case 'key':
      return pressKey(s, event.key);
    case 'scan':
      return scanned(s, event.classification);
    case 'scanRejected':
      return flash(s, texts(state).refusals.scanNotRead);
    case 'scannerState':
      // While the scanner connects, what was known of its cable stays.
      return setContext(s, { scannerConnected: event.state === 'connected' ? true : event.state === 'disconnected' ? false : state.ctx.scannerConnected });
    case 'buzzerState':
      return setContext(s, { buzzer: event.state });
    case 'printerStatus':
      return setContext(s, { printer: event.printer });
    case 'waitingTables':
      return setContext(s, { waiting: event.waiting });
    case 'engineStatus':
      return setContext(s, { status: event.status });
    case 'saleChanged':
      return saleChanged(s, event.change);
    case 'engineAnswered':
      return engineAnswered(s, event);
    case 'engineRefused':
      return engineRefused(s, event);
    case 'saleRead':
      return saleRead(s, event.sale);
    case 'printed':
    case 'centrapayStarted':
    case 'workFailed':
      return workDone(s, event);
    case 'screenTimeout':
      if (event.generation !== state.generation) return s;
      return codeSaleTimedOut(s) ?? go(s, { name: 'idle' });
    case 'flashTimeout':
      return clearFlash(s);
    case 'stepFailed':
      return flash(s, errorLine(event.error, texts(state)));
    case 'stopped':
      return go(s, { name: 'closed' });
    case 'refundableFound':
    case 'refundStarted':
    case 'refundRefused':
    case 'refundChanged':
    case 'refundUnlocked':
      return refundEvent(s, event);
  }
}

/**
 * The state at start: idle. `previous` is the state of an earlier run of the same terminal, whose
 * announced outcomes are kept, so an outcome shown before a restart is not shown again.
 */
export function initialState(ctx: UiContext, settings: UiSettings, previous?: TerminalState): TerminalState {
  return { screen: { name: 'idle' }, ctx, flash: undefined, settings, generation: previous?.generation ?? 0, announced: previous?.announced ?? [] };
}
