import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import type { DeviceError } from '../device-error.js';
import { FakeGpio } from '../keypad/fake-gpio.js';
import type { BuzzerState } from './buzzer-port.js';
import { GpioBuzzer } from './gpio-buzzer.js';

const PIN = 18;

async function buzzer(activeLow = false): Promise<{ clock: FakeClock; gpio: FakeGpio; buzzer: GpioBuzzer; problems: DeviceError[]; states: BuzzerState[] }> {
  const clock = new FakeClock();
  const gpio = new FakeGpio([], []);
  const b = new GpioBuzzer({ gpio: async () => gpio, pin: PIN, activeLow, clock });
  const problems: DeviceError[] = [];
  const states: BuzzerState[] = [];
  b.onProblem((p) => problems.push(p));
  b.onState((s) => states.push(s));
  await b.start();
  return { clock, gpio, buzzer: b, problems, states };
}

/** The line's level every `stepMs` for `totalMs`, on the fake clock. */
async function trace(clock: FakeClock, gpio: FakeGpio, totalMs: number, stepMs: number): Promise<number[]> {
  const levels: number[] = [gpio.level(PIN)];
  for (let t = stepMs; t <= totalMs; t += stepMs) {
    await clock.advance(stepMs);
    levels.push(gpio.level(PIN));
  }
  return levels;
}

describe('GPIO buzzer', () => {
  it('is silent once claimed; a click is a short pulse, PAID two short beeps, a refusal one long beep', async () => {
    const { clock, gpio, buzzer: b } = await buzzer();
    expect(gpio.level(PIN)).toBe(0);
    b.play('click');
    expect(await trace(clock, gpio, 30, 15)).toEqual([1, 0, 0]);
    b.play('success');
    expect(await trace(clock, gpio, 300, 30)).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0]);
    b.play('failure');
    expect(await trace(clock, gpio, 700, 100)).toEqual([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('active low: on is 0, off is 1', async () => {
    const { clock, gpio, buzzer: b } = await buzzer(true);
    expect(gpio.level(PIN)).toBe(1);
    b.play('failure');
    expect(gpio.level(PIN)).toBe(0);
    await clock.advance(600);
    expect(gpio.level(PIN)).toBe(1);
  });

  it('never blocks: play returns before the beep ends, and a click does not cut a beep short; a beep replaces a beep', async () => {
    const { clock, gpio, buzzer: b } = await buzzer();
    b.play('failure');
    await clock.advance(100);
    b.play('click');
    expect(await trace(clock, gpio, 500, 100)).toEqual([1, 1, 1, 1, 1, 0]);
    b.play('failure');
    await clock.advance(300);
    b.play('success');
    expect(await trace(clock, gpio, 270, 45)).toEqual([1, 1, 0, 0, 1, 1, 0]);
  });

  it('a broken line is reported once, silences, never throws, and recovers with the next signal that works', async () => {
    const { clock, gpio, buzzer: b, problems, states } = await buzzer();
    gpio.breakLine(PIN);
    expect(() => b.play('success')).not.toThrow();
    expect(() => b.play('failure')).not.toThrow();
    await clock.advance(1000);
    expect(problems.map((p) => [p.device, p.code, p.retryable])).toEqual([['buzzer', 'buzzer_write_failed', true]]);
    expect(b.state()).toBe('failed');
    expect(clock.pendingTimers()).toBe(0);
    gpio.repairLine(PIN);
    b.play('click');
    expect(b.state()).toBe('ok');
    expect(states).toEqual(['ok', 'failed', 'ok']);
  });

  it('cannot be claimed: start rejects with a retryable buzzer_unavailable and the state says failed', async () => {
    const b = new GpioBuzzer({ gpio: async () => Promise.reject(new Error('ENOENT: /sys/class/gpio/export')), pin: PIN, activeLow: false, clock: new FakeClock() });
    await expect(b.start()).rejects.toMatchObject({ device: 'buzzer', code: 'buzzer_unavailable', retryable: true });
    expect(b.state()).toBe('failed');
    expect(() => b.play('click')).not.toThrow();
  });

  it('stop silences the line, releases it, and later signals do nothing', async () => {
    const { clock, gpio, buzzer: b } = await buzzer();
    b.play('failure');
    await b.stop();
    expect(gpio.level(PIN)).toBe(0);
    expect(gpio.exported()).toBe(0);
    b.play('failure');
    expect(clock.pendingTimers()).toBe(0);
  });
});
