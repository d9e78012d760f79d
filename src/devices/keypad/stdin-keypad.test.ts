import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { FakeKeypad } from './fake-keypad.js';
import { StdinKeypad } from './stdin-keypad.js';

describe('StdinKeypad', () => {
  it('one key per character from a pipe; Enter is #, Backspace is *, others ignored', async () => {
    const input = new PassThrough();
    const keypad = new StdinKeypad({ input, clock: new FakeClock() });
    const keys: string[] = [];
    keypad.onKey((k) => keys.push(k.key));
    await keypad.start();
    input.write('12x9a\n\u007f#');
    await new Promise((r) => setImmediate(r));
    expect(keys.join('')).toBe('129A#*#');
    await keypad.stop();
    input.write('5');
    await new Promise((r) => setImmediate(r));
    expect(keys.join('')).toBe('129A#*#');
  });

  it('uses raw mode on a TTY and restores it; Ctrl-C calls onInterrupt', async () => {
    const modes: boolean[] = [];
    let interrupted = 0;
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (m: boolean) => modes.push(m) });
    const keypad = new StdinKeypad({ input, clock: new FakeClock(), onInterrupt: () => (interrupted += 1) });
    await keypad.start();
    input.write('\u0003');
    await new Promise((r) => setImmediate(r));
    await keypad.stop();
    expect(modes).toEqual([true, false]);
    expect(interrupted).toBe(1);
  });
});

describe('FakeKeypad', () => {
  it('types only valid keys, only while started', async () => {
    const keypad = new FakeKeypad(new FakeClock());
    const keys: string[] = [];
    keypad.onKey((k) => keys.push(k.key));
    keypad.type('1');
    await keypad.start();
    keypad.type('12z#');
    expect(keys.join('')).toBe('12#');
  });
});
