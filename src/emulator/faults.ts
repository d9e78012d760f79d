import type { Clock } from '../platform/clock.js';
import type { RandomSource } from '../platform/random.js';
import type { AmountAlteration } from './amount-alteration.js';
import type { EmulatorClock } from './emulator-clock.js';
import { compilePathGlob, type FaultRuleSpec } from './fault-rule.js';

export interface FaultRule extends FaultRuleSpec {
  readonly id: string;
  /** Left of `count`; absent for rules without a count. A rule at 0 stays listed but never fires. */
  remaining?: number;
  /** For a timed refuse: when (monotonic ms) the listener reopens. */
  until?: number;
  /** How often the rule fired. */
  hits: number;
}

/** The one outcome a request gets; latency is separate and adds up. */
export type FaultOutcome =
  | { kind: 'serverError'; status: number }
  | { kind: 'rateLimit'; retryAfterS: number; retryAfterDate: boolean }
  | { kind: 'reset' }
  | { kind: 'applyThenDrop' }
  | { kind: 'truncate' }
  | { kind: 'alterAmount'; alteration: AmountAlteration };

export interface FaultDecision {
  latencyBeforeMs: number;
  latencyAfterMs: number;
  outcome?: FaultOutcome;
  /** `kind#id` of every rule that fired, for the request log. */
  fired: string[];
}

export interface FaultSnapshot {
  clockSkewS: number;
  rules: FaultRule[];
}

/** How the server lets a timed refuse close its listener, and end it early. */
export interface ListenerControl {
  closeFor(ms: number): void;
  reopen(): void;
}

interface CompiledRule {
  rule: FaultRule;
  path?: RegExp;
}

/**
 * Holds the active fault rules and decides, per request or per accepted connection, which fire.
 * Rules are checked in the order they were added; the first firing outcome rule wins, latency rules
 * all add up. Decisions consume the seeded random source only for rules with a rate below 1, so a
 * fixed seed and request sequence always give the same faults.
 */
export class FaultInjector {
  private rules: CompiledRule[] = [];
  private nextId = 1;
  private listenerControl: ListenerControl | undefined;

  constructor(
    private readonly random: RandomSource,
    private readonly clock: EmulatorClock,
    private readonly monotonic: Clock,
  ) {}

  /** The server registers how to close its listener for a timed refuse, and reopen it. */
  attachListenerControl(control: ListenerControl | undefined): void {
    this.listenerControl = control;
  }

  add(spec: FaultRuleSpec): FaultRule {
    const rule: FaultRule = { ...spec, id: `f${this.nextId++}`, hits: 0 };
    if (spec.count !== undefined) rule.remaining = spec.count;
    if (spec.kind === 'refuse' && spec.durationMs !== undefined) {
      rule.until = this.monotonic.monoMs() + spec.durationMs;
      rule.hits = 1;
      this.listenerControl?.closeFor(spec.durationMs);
    }
    this.rules.push(spec.path === undefined ? { rule } : { rule, path: compilePathGlob(spec.path) });
    return rule;
  }

  /** Removes a rule; removing a timed refuse that is still closing the listener reopens it at once. */
  remove(id: string): boolean {
    const removed = this.rules.filter((r) => r.rule.id === id);
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    this.reopenIfRefuseEnded(removed);
    return removed.length > 0;
  }

  /** Removes every rule and the clock skew (an outage under way ends). */
  clear(): void {
    const removed = this.rules;
    this.rules = [];
    this.clock.setSkewSeconds(0);
    this.reopenIfRefuseEnded(removed);
  }

  private reopenIfRefuseEnded(removed: readonly CompiledRule[]): void {
    const now = this.monotonic.monoMs();
    if (removed.some(({ rule }) => rule.kind === 'refuse' && rule.until !== undefined && rule.until > now)) this.listenerControl?.reopen();
  }

  setClockSkewSeconds(skewS: number): void {
    this.clock.setSkewSeconds(skewS);
  }

  snapshot(): FaultSnapshot {
    return { clockSkewS: this.clock.skewSeconds, rules: this.rules.map((r) => ({ ...r.rule })) };
  }

  /** Decides the faults for one request (never called for /_sim/). */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyBeforeMs: 0, latencyAfterMs: 0, fired: [] };
    for (const compiled of this.rules) {
      const { rule } = compiled;
      if (rule.kind === 'refuse') continue;
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (compiled.path !== undefined && !compiled.path.test(path)) continue;
      if (rule.kind !== 'latency' && decision.outcome !== undefined) continue;
      if (!this.fires(rule)) continue;
      decision.fired.push(`${rule.kind}#${rule.id}`);
      switch (rule.kind) {
        case 'latency':
          if (rule.when === 'after') decision.latencyAfterMs += rule.latencyMs ?? 0;
          else decision.latencyBeforeMs += rule.latencyMs ?? 0;
          break;
        case 'serverError':
          decision.outcome = { kind: 'serverError', status: rule.status ?? 500 };
          break;
        case 'rateLimit':
          decision.outcome = { kind: 'rateLimit', retryAfterS: rule.retryAfterS ?? 1, retryAfterDate: rule.retryAfterFormat === 'date' };
          break;
        case 'reset':
          decision.outcome = { kind: 'reset' };
          break;
        case 'applyThenDrop':
          decision.outcome = { kind: 'applyThenDrop' };
          break;
        case 'truncate':
          decision.outcome = { kind: 'truncate' };
          break;
        case 'alterAmount':
          decision.outcome = { kind: 'alterAmount', alteration: { deltaMinor: rule.deltaMinor ?? 1, currency: rule.currency } };
          break;
      }
    }
    return decision;
  }

  /** True when a just-accepted connection must be reset (a count-based refuse rule fires). */
  refuseConnection(): string | undefined {
    for (const { rule } of this.rules) {
      if (rule.kind !== 'refuse' || rule.until !== undefined) continue;
      if (this.fires(rule)) return `refuse#${rule.id}`;
    }
    return undefined;
  }

  private fires(rule: FaultRule): boolean {
    if (rule.remaining !== undefined && rule.remaining <= 0) return false;
    if (rule.rate !== undefined && rule.rate < 1 && !(this.random.next() < rule.rate)) return false;
    if (rule.remaining !== undefined) rule.remaining -= 1;
    rule.hits += 1;
    return true;
  }
}
