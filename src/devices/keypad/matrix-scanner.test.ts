import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../platform/fake-clock.js';
import { DeviceError } from '../device-error.js';
import { FakeGpio } from './fake-gpio.js';
import { MatrixKeypad } from './matrix-scanner.js';

const ROWS = [5, 6, 13, 19];
const COLS = [12, 16, 20, 21];
const KEYS = '123A456B789C*0#D';

async function setup(): Promise<{ clock: FakeClock; gpio: FakeGpio; keypad: MatrixKeypad; keys: string[]; problems: string[] }> {
  const clock = new FakeClock();
  const gpio = new FakeGpio(ROWS, COLS);
  const keypad = new MatrixKeypad({ gpio: async () => gpio, clock, rows: ROWS, cols: COLS, keys: KEYS, debounceMs: 15 });
  const keys: string[] = [];
  const problems: string[] = [];
  keypad.onKey((k) => keys.push(k.key));
  keypad.onProblem((p) => problems.push(p.code));
  await keypad.start();
  return { clock, gpio, keypad, keys, problems };
}

describe('MatrixKeypad scanning (fake GPIO)', () => {
  it('maps every row/column to its key, once per press', async () => {
    const { clock, gpio, keys } = await setup();
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 4; c++) {
        gpio.press(r, c);
        await clock.advance(40);
        gpio.release(r, c);
        await clock.advance(40);
      }
    }
    expect(keys.join('')).toBe(KEYS);
  });

  it('a held key does not repeat', async () => {
    const { clock, gpio, keys } = await setup();
    gpio.press(1, 1);
    await clock.advance(5000);
    expect(keys).toEqual(['5']);
    gpio.release(1, 1);
    await clock.advance(50);
    gpio.press(1, 1);
    await clock.advance(50);
    expect(keys).toEqual(['5', '5']);
  });

  it('contact bounce gives one key', async () => {
    const { clock, gpio, keys } = await setup();
    gpio.bounce(0, 0, 5, 'pressed');
    await clock.advance(3);
    gpio.bounce(0, 0, 3, 'pressed');
    await clock.advance(60);
    gpio.bounce(0, 0, 4, 'released');
    await clock.advance(5);
    gpio.bounce(0, 0, 2, 'released');
    await clock.advance(60);
    expect(keys).toEqual(['1']);
  });

  it('a press shorter than one debounce interval is ignored', async () => {
    const { clock, gpio, keys } = await setup();
    gpio.press(2, 2);
    await clock.advance(5);
    gpio.release(2, 2);
    await clock.advance(100);
    expect(keys).toEqual([]);
  });

  it('two keys at once are ignored, and nothing is reported until all are up', async () => {
    const { clock, gpio, keys } = await setup();
    gpio.press(0, 0);
    gpio.press(3, 3);
    await clock.advance(60);
    gpio.release(0, 0); // D is still down alone: the remainder of a multi-press must not fire
    await clock.advance(60);
    expect(keys).toEqual([]);
    gpio.release(3, 3);
    await clock.advance(60);
    gpio.press(3, 1);
    await clock.advance(60);
    expect(keys).toEqual(['0']);
  });

  it('goes quiet when idle and releases the lines on stop', async () => {
    const { clock, gpio, keypad, keys } = await setup();
    gpio.press(0, 1);
    await clock.advance(60);
    gpio.release(0, 1);
    await clock.advance(60);
    expect(clock.pendingTimers()).toBe(0);
    await keypad.stop();
    expect(gpio.exported()).toBe(0);
    gpio.press(0, 1);
    await clock.advance(60);
    expect(keys).toEqual(['2']);
  });

  it('opens its GPIO in start(): without sysfs GPIO the start fails with the cause, and a later start works', async () => {
    const clock = new FakeClock();
    const gpio = new FakeGpio(ROWS, COLS);
    let available = false;
    const keypad = new MatrixKeypad({
      gpio: async () => {
        if (!available) throw new DeviceError('keypad', 'keypad_gpio_unavailable', 'no sysfs GPIO');
        return gpio;
      },
      clock,
      rows: ROWS,
      cols: COLS,
      keys: KEYS,
    });
    const keys: string[] = [];
    keypad.onKey((k) => keys.push(k.key));
    await expect(keypad.start()).rejects.toMatchObject({ code: 'keypad_gpio_unavailable', message: 'no sysfs GPIO' });
    available = true;
    await keypad.start();
    gpio.press(0, 1);
    await clock.advance(60);
    expect(keys).toEqual(['2']);
  });

  it('rejects a key map of the wrong size', async () => {
    const keypad = new MatrixKeypad({ gpio: async () => new FakeGpio(ROWS, COLS), clock: new FakeClock(), rows: ROWS, cols: COLS, keys: '123' });
    await expect(keypad.start()).rejects.toMatchObject({ code: 'keypad_config_invalid' });
  });
});
