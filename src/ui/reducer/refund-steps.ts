import type { Key } from '../../devices/keypad/keypad-port.js';
import type { RefundRecord } from '../../store/types.js';
import { amountVariants } from '../screens/common.js';
import { saleLine } from '../screens/refund-screens.js';
import { variants, type Text } from '../text.js';
import type { Screen } from '../ui-state.js';
import type { UiEvent } from './events.js';
import { command, failed, flash, go, notice, sound, texts, type Step } from './step.js';

/**
 * Refunds at the counter (menu 6): the supervisor PIN, the receipt number (`#` alone: the last
 * paid sale), the sale shown, `#` refunds it in full, `*` backs out. A wrong PIN beeps, says so
 * and sends nothing; three in a row lock refunds for 60 s (the `refundLock` timer). The PIN is
 * compared here and never rendered (screens/refund.ts shows one `*` per digit).
 */

export const REFUND_LOCK_MS = 60_000;
const PIN_TRIES = 3;
const PIN_MAX_DIGITS = 8;
const NUMBER_MAX_DIGITS = 6;

type RefundScreen = Extract<Screen, { name: 'refund-pin' | 'refund-number' | 'refund-confirm' | 'refund-waiting' }>;

/** Menu item 6: the PIN, or why not (no PIN configured: disabled; three wrong PINs: locked). */
export function openRefund(s: Step): Step {
  const t = texts(s.state).refund;
  if (s.state.settings.supervisorPin === undefined) return notice(s, t.title, t.disabled, 'failure');
  if (s.state.refundsLocked === true) return notice(s, t.title, t.locked, 'failure');
  return go(s, { name: 'refund-pin', digits: '' });
}

/** What a key does on a refund screen; undefined when it does nothing there. */
export function keyRefund(s: Step, screen: RefundScreen, key: Key): Step | undefined {
  if (key === 'D') return go(s, { name: 'idle' });
  switch (screen.name) {
    case 'refund-pin':
      return keyPin(s, screen, key);
    case 'refund-number':
      return keyNumber(s, screen, key);
    case 'refund-confirm':
      if (key === '*') return go(s, { name: 'refund-number', digits: '' });
      return key === '#' ? command(s, { type: 'refund', request: { call: 'refundSale', saleId: screen.sale.id } }) : undefined;
    case 'refund-waiting':
      // The refund goes on without the screen; its slip prints when it is taken.
      return key === '*' ? go(s, { name: 'idle' }) : undefined;
  }
}

function keyPin(s: Step, screen: Extract<Screen, { name: 'refund-pin' }>, key: Key): Step | undefined {
  if (/^\d$/.test(key)) return screen.digits.length >= PIN_MAX_DIGITS ? undefined : go(s, { ...screen, digits: screen.digits + key });
  if (key === '*') return screen.digits.length > 0 ? go(s, { ...screen, digits: screen.digits.slice(0, -1) }) : go(s, { name: 'menu' });
  if (key !== '#') return undefined;
  const t = texts(s.state).refund;
  if (screen.digits.length < 4) return flash(s, t.pinLength);
  if (screen.digits === s.state.settings.supervisorPin) return go({ ...s, state: { ...s.state, pinFailures: 0 } }, { name: 'refund-number', digits: '' });
  const failures = (s.state.pinFailures ?? 0) + 1;
  if (failures >= PIN_TRIES) {
    const locked: Step = { ...s, state: { ...s.state, pinFailures: 0, refundsLocked: true } };
    const lockTimer = command(locked, { type: 'setTimer', timer: 'refundLock', ms: REFUND_LOCK_MS, fire: { type: 'refundUnlocked' } });
    return notice(lockTimer, t.title, t.locked, 'failure');
  }
  // A wrong PIN: it beeps, says so, sends nothing; the digits go.
  return flash(go({ ...s, state: { ...s.state, pinFailures: failures } }, { ...screen, digits: '' }), t.wrongPin);
}

function keyNumber(s: Step, screen: Extract<Screen, { name: 'refund-number' }>, key: Key): Step | undefined {
  if (/^\d$/.test(key)) {
    if (screen.digits.length >= NUMBER_MAX_DIGITS || (screen.digits === '' && key === '0')) return undefined;
    return go(s, { ...screen, digits: screen.digits + key });
  }
  if (key === '*') return screen.digits.length > 0 ? go(s, { ...screen, digits: screen.digits.slice(0, -1) }) : go(s, { name: 'menu' });
  if (key !== '#') return undefined;
  const saleNumber = screen.digits === '' ? undefined : Number.parseInt(screen.digits, 10);
  return command(s, { type: 'refund', request: { call: 'findRefundable', saleNumber } });
}

/** The engine's answers and the refund's progress. */
export function refundEvent(s: Step, event: Extract<UiEvent, { type: 'refundableFound' | 'refundStarted' | 'refundRefused' | 'refundChanged' | 'refundUnlocked' }>): Step {
  const screen = s.state.screen;
  switch (event.type) {
    case 'refundUnlocked':
      return { ...s, state: { ...s.state, refundsLocked: false, pinFailures: 0 } };
    case 'refundableFound':
      return screen.name === 'refund-number' ? go(s, { name: 'refund-confirm', sale: event.sale }) : s;
    case 'refundRefused':
      return screen.name === 'refund-number' || screen.name === 'refund-confirm' ? failed(s, event.error, 'refund') : s;
    case 'refundStarted':
      if (screen.name !== 'refund-confirm' || screen.sale.id !== event.refund.saleId) return s;
      return refundProgress(go(s, { name: 'refund-waiting', sale: screen.sale, refundId: event.refund.id }), event.refund);
    case 'refundChanged':
      return refundProgress(s, event.refund);
  }
}

/** A refund on the waiting screen that has an outcome: REFUNDED with the amount, or why not. */
function refundProgress(s: Step, refund: RefundRecord): Step {
  const screen = s.state.screen;
  if (screen.name !== 'refund-waiting' || screen.refundId !== refund.id) return s;
  const t = texts(s.state).refund;
  switch (refund.state) {
    case 'requested':
      return s;
    case 'refunded':
      return sound(notice(s, refundedHeadline(s, refund), saleLine(s.state.ctx, screen.sale)), 'success');
    case 'refused':
      return notice(s, t.notPossible, (Object.hasOwn(t.reasons, refund.reason ?? '') ? t.reasons[refund.reason as keyof typeof t.reasons] : undefined) ?? t.reasons.other, 'failure');
    case 'needs_human':
      return notice(s, texts(s.state).result.check, t.askManager, 'failure');
  }
}

/** "REFUNDED 5.00 EUR", "REFUNDED 5.00", then the word alone. */
function refundedHeadline(s: Step, refund: RefundRecord): Text {
  const word = texts(s.state).refund.refunded;
  const amounts = amountVariants(refund.amount.minor, { currency: refund.amount.currency, lang: s.state.ctx.lang });
  return [...variants(word).flatMap((w) => amounts.map((amount) => `${w} ${amount}`)), ...variants(word)];
}
