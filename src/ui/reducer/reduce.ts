import type { TerminalState } from '../ui-state.js';
import { workDone } from './busy-work.js';
import type { UiEvent } from './events.js';
import { pressKey } from './keys.js';
import { engineAnswered, engineRefused, saleRead } from './sales.js';
import { clearFlash, go, stepFrom, type Step } from './step.js';

/**
 * The terminal's UI as a pure function: `(state, event) -> { state, commands }`. What happened
 * (a key, a scan, an engine change, an answer to a command, a timer) moves the state from screen
 * to screen; what is to be done about it (call the engine, sound the buzzer, set a timer) comes
 * back as commands, which TerminalUi runs. No I/O, no clock, no exceptions on purpose.
 */
export function reduce(state: TerminalState, event: UiEvent): Step {
  const s = stepFrom(state);
  switch (event.type) {
    case 'key':
      return pressKey(s, event.key);
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
      return event.generation === state.generation ? go(s, { name: 'idle' }) : s;
    case 'flashTimeout':
      return clearFlash(s);
  }
}
