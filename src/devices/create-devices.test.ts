import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { devicesSchema } from '../config/devices-schema.js';
import { FakeClock } from '../platform/fake-clock.js';
import { ConsoleBuzzer } from './buzzer/console-buzzer.js';
import { GpioBuzzer } from './buzzer/gpio-buzzer.js';
import { createDevices } from './create-devices.js';
import { ConsoleDisplay } from './display/console-display.js';
import { SerialPoleDisplay } from './display/serial-pole.js';
import { EvdevKeypad } from './keypad/evdev-keypad.js';
import { FakeGpio } from './keypad/fake-gpio.js';
import { EscPosDocument, encoderOptions } from '../printing/escpos/escpos-document.js';
import { MatrixKeypad } from './keypad/matrix-scanner.js';
import { readGpioBase } from './keypad/sysfs-gpio-base.js';
import { StdinKeypad } from './keypad/stdin-keypad.js';
import { FileTransport } from './printer/transports/file.js';
import { TcpTransport } from './printer/transports/tcp.js';
import { UsblpTransport } from './printer/transports/usblp.js';
import { SerialScanner } from './scanner/serial-scanner.js';
import { StdinScanner } from './scanner/stdin-scanner.js';

const env = { clock: new FakeClock(), locationId: 3, stdin: new PassThrough(), consoleOut: new PassThrough(), baseDir: '/srv/counterpay' };

describe('createDevices', () => {
  it('builds the development set from the defaults; file: paths resolve against the base dir', async () => {
    const devices = await createDevices(devicesSchema.parse({}), env);
    expect(devices.scanner).toBeInstanceOf(StdinScanner);
    expect(devices.keypad).toBeInstanceOf(StdinKeypad);
    expect(devices.display).toBeInstanceOf(ConsoleDisplay);
    expect(devices.printer).toBeInstanceOf(FileTransport);
    expect(devices.printer.description).toBe('file /srv/counterpay/prints');
    expect(encoderOptions(devicesSchema.parse({}).printer)).toEqual({ type: 'epson', width: 48, codePage: 'PC858_EURO', qr: 'raster', textFallback: 'raster' });
    expect(devices.buzzer).toBeNull();
  });

  it('builds a GPIO keypad on a machine without sysfs GPIO: building succeeds and only start() fails, which the device starter retries', async () => {
    const devices = await createDevices(devicesSchema.parse({ keypad: { driver: 'gpio-matrix' } }), {
      ...env,
      gpio: () => readGpioBase(join(tmpdir(), `counterpay-no-gpio-${process.pid}`)).then(() => new FakeGpio([], [])),
    });
    expect(devices.keypad).toBeInstanceOf(MatrixKeypad);
    await expect(devices.keypad.start()).rejects.toMatchObject({ code: 'keypad_gpio_unavailable' });
  });

  it('builds the hardware set without opening anything', async () => {
    const config = devicesSchema.parse({
      scanner: { driver: 'serial', path: '/dev/counterpay-scanner' },
      keypad: { driver: 'gpio-matrix' },
      display: { driver: 'serial-pole', path: '/dev/ttyUSB0', commandSet: 'cd5220' },
      printer: { interface: 'tcp://10.0.0.9' },
    });
    const devices = await createDevices(config, { ...env, gpio: async () => new FakeGpio([5, 6, 13, 19], [12, 16, 20, 21]) });
    expect(devices.scanner).toBeInstanceOf(SerialScanner);
    expect(devices.scanner?.state()).toBe('stopped');
    expect(devices.keypad).toBeInstanceOf(MatrixKeypad);
    expect(devices.display).toBeInstanceOf(SerialPoleDisplay);
    expect(devices.printer).toBeInstanceOf(TcpTransport);
    expect(devices.printer.description).toBe('tcp 10.0.0.9:9100');
    const usb = await createDevices(devicesSchema.parse({ printer: { interface: '/dev/usb/lp0' }, scanner: { driver: 'none' } }), env);
    expect(usb.printer).toBeInstanceOf(UsblpTransport);
    expect(usb.scanner).toBeNull();
  });

  it('builds the buzzer on GPIO (claimed only at start) or on the console', async () => {
    const gpio = new FakeGpio([], []);
    const devices = await createDevices(devicesSchema.parse({ buzzer: { driver: 'gpio', pin: 26, activeLow: true } }), { ...env, gpio: async () => gpio });
    expect(devices.buzzer).toBeInstanceOf(GpioBuzzer);
    expect(devices.buzzer?.description).toBe('GPIO BCM 26 (active low)');
    expect(gpio.exported()).toBe(0);
    await devices.buzzer?.start();
    expect([gpio.exported(), gpio.level(26)]).toEqual([1, 1]);
    await devices.buzzer?.stop();
    const out = new PassThrough();
    const onConsole = (await createDevices(devicesSchema.parse({ buzzer: { driver: 'console' } }), { ...env, consoleOut: out })).buzzer;
    expect(onConsole).toBeInstanceOf(ConsoleBuzzer);
    await onConsole?.start();
    onConsole?.play('success');
    expect(String(out.read())).toBe('  ~ beep: two short\n');
  });

  it('builds the evdev keypad, with a key map from the config', async () => {
    const config = devicesSchema.parse({ keypad: { driver: 'evdev', path: '/dev/input/by-id/usb-keypad-event-kbd', keyMap: { KEY_F1: 'A', KEY_KPDOT: null } } });
    expect(config.keypad).toMatchObject({ keyMap: { KEY_F1: 'A', KEY_KPDOT: null } });
    expect((await createDevices(config, env)).keypad).toBeInstanceOf(EvdevKeypad);
    expect(devicesSchema.safeParse({ keypad: { driver: 'evdev', path: '/dev/input/event0', keyMap: { KP1: '1' } } }).success).toBe(false);
    expect(devicesSchema.safeParse({ keypad: { driver: 'evdev', path: '/dev/input/event0', keyMap: { KEY_KP1: 'E' } } }).success).toBe(false);
  });

  it('refuses printer type star at config time, and the encoder refuses it too', async () => {
    const result = devicesSchema.safeParse({ printer: { interface: '/dev/usb/lp0', type: 'star' } });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['printer.type', expect.stringContaining('ESC/POS emulation')]]);
    expect(() => new EscPosDocument({ type: 'star', width: 48, codePage: 'PC858_EURO', qr: 'raster' })).toThrow(expect.objectContaining({ code: 'printer_type_unsupported' }));
  });
});
