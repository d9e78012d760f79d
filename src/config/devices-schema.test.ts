import { describe, expect, it } from 'vitest';
import { devicesSchema } from './devices-schema.js';

describe('devices config', () => {
  it('defaults everything to the terminal and file:./prints', () => {
    expect(devicesSchema.parse({})).toEqual({
      scanner: { driver: 'stdin' },
      keypad: { driver: 'stdin' },
      display: { driver: 'console' },
      printer: { interface: 'file:./prints', type: 'epson', width: 48, qr: 'raster', codePage: 'PC858_EURO', textFallback: 'raster' },
      buzzer: { driver: 'none' },
    });
  });

  it('a buzzer on a GPIO the keypad does not use, active high unless said', () => {
    expect(devicesSchema.parse({ buzzer: { driver: 'gpio' } }).buzzer).toEqual({ driver: 'gpio', pin: 18, activeLow: false });
    expect(devicesSchema.parse({ buzzer: { driver: 'gpio', pin: 26, activeLow: true } }).buzzer).toEqual({ driver: 'gpio', pin: 26, activeLow: true });
    const issues = (value: unknown): string[] => devicesSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ keypad: { driver: 'gpio-matrix' }, buzzer: { driver: 'gpio', pin: 21 } })).toEqual(['buzzer.pin: GPIO 21 is wired to the keypad']);
    expect(issues({ buzzer: { driver: 'gpio', pin: 40 } })[0]).toMatch(/^buzzer\.pin: /);
    expect(issues({ buzzer: { driver: 'pwm' } })[0]).toMatch(/^buzzer\.driver: /);
  });

  it('accepts the issue example', () => {
    const parsed = devicesSchema.parse({
      scanner: { driver: 'serial', path: '/dev/counterpay-scanner', baudRate: 9600 },
      keypad: { driver: 'gpio-matrix', rows: [5, 6, 13, 19], cols: [12, 16, 20, 21], keys: '123A456B789C*0#D' },
      display: { driver: 'serial-pole', path: '/dev/ttyUSB0', baudRate: 9600, commandSet: 'epson', columns: 20 },
      printer: { interface: '/dev/usb/lp0', type: 'epson', width: 48, qr: 'raster', codePage: 'PC858_EURO' },
    });
    expect(parsed.keypad).toMatchObject({ driver: 'gpio-matrix', keys: '123A456B789C*0#D' });
    for (const iface of ['tcp://192.168.1.50:9100', 'tcp://printer', 'serial:/dev/ttyS0', 'file:prints']) {
      expect(devicesSchema.parse({ printer: { interface: iface } }).printer.interface).toBe(iface);
    }
  });

  it('rejects typos, unknown drivers, bad key maps and bad interfaces, naming the field', () => {
    const issues = (value: unknown): string[] => devicesSchema.safeParse(value).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(issues({ scanner: { driver: 'serial', path: '/dev/x', baud: 9600 } })).toEqual(['scanner']);
    expect(issues({ display: { driver: 'hdmi' } })).toEqual(['display.driver']);
    expect(issues({ keypad: { driver: 'gpio-matrix', keys: '123' } })).toEqual(['keypad.keys']);
    expect(issues({ keypad: { driver: 'gpio-matrix', rows: [5, 6, 13, 12] } })).toEqual(['keypad.rows']);
    expect(issues({ printer: { interface: 'lp0' } })).toEqual(['printer.interface']);
    expect(issues({ printer: { interface: 'file:x', type: 'zebra' } })).toEqual(['printer.type']);
    expect(issues({ printer: { interface: 'file:x', codePage: 'PC1257' } })).toEqual(['printer.codePage']);
    expect(issues({ printer: { interface: 'file:x', textFallback: 'drop' } })).toEqual(['printer.textFallback']);
  });

  it('takes a Baltic code page for Lithuanian', () => {
    expect(devicesSchema.parse({ printer: { interface: 'file:x', codePage: 'WPC1257_BALTIC_RIM' } }).printer).toMatchObject({ codePage: 'WPC1257_BALTIC_RIM', textFallback: 'raster' });
  });
});

describe('devices section in the whole config', () => {
  it('is optional and defaults to the development devices', async () => {
    const { configSchema } = await import('./schema.js');
    const parsed = configSchema.parse({ paysera: { macId: 'id', macKey: 'k', locationId: 3 } });
    expect(parsed.devices.printer.interface).toBe('file:./prints');
    expect(parsed.devices.scanner).toEqual({ driver: 'stdin' });
  });
});
