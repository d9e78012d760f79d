import { isAbsolute, resolve } from 'node:path';
import type { DevicesConfig } from '../config/devices-schema.js';
import { BUZZER_PATTERNS, type BuzzerPort, type BuzzerSignal } from '../devices/buzzer/buzzer-port.js';
import { createBuzzer, createDisplay, createPrinter, type DeviceEnvironment } from '../devices/create-devices.js';
import type { DeviceError } from '../devices/device-error.js';
import { sleep, type Clock } from '../platform/clock.js';
import { EscPosDocument, encoderOptions } from '../printing/escpos/escpos-document.js';
import { errorText, fail, ok, warn, type CheckLine, type DoctorCheck, type DoctorContext } from './doctor-check.js';
import { checkDevicePath, checkTcp, checkWritableDir } from './device-access.js';

const GPIO_EXPORT = '/sys/class/gpio/export';
const UDEV_HINT = 'plug it in, check the udev rule (/etc/udev/rules.d/70-counterpay.rules) and the path in the config';

/**
 * One line per configured device: present, and openable by us with the access its driver needs.
 * `--print-test` sends a short test page, and `--display-test` shows two lines on the display and
 * plays the buzzer's three signals, when the device passed. Development drivers (stdin, console)
 * are WARN: they do not belong on a counter. The buzzer is optional: no line without one.
 */
export const devicesCheck: DoctorCheck = {
  name: 'devices',
  needsConfig: true,
  async run(ctx): Promise<CheckLine[]> {
    const devices = ctx.loaded?.config.devices;
    if (devices === undefined) return [];
    const lines = [scanner(devices, ctx), await keypad(devices, ctx)];
    const display = displayLine(devices, ctx);
    lines.push(display);
    if (ctx.displayTest && display.status !== 'FAIL') lines.push(await displayTest(devices, ctx));
    const buzzer = buzzerLine(devices, ctx);
    if (buzzer !== undefined) {
      lines.push(buzzer);
      const port = createBuzzer(devices.buzzer, deviceEnv(ctx));
      if (ctx.displayTest && buzzer.status !== 'FAIL' && port !== null) lines.push(await buzzerTest(port, ctx.clock));
    }
    const printer = await printerLine(devices, ctx);
    lines.push(printer);
    if (ctx.printTest && printer.status !== 'FAIL') lines.push(await printTest(devices, ctx));
    return lines;
  },
};

function scanner({ scanner: s }: DevicesConfig, ctx: DoctorContext): CheckLine {
  switch (s.driver) {
    case 'serial':
      return checkDevicePath('scanner', s.path, 'rw', ctx.isRoot, UDEV_HINT);
    case 'stdin':
      return warn('scanner', 'stdin (development driver): set devices.scanner to the serial scanner');
    case 'none':
      return ok('scanner', 'none configured');
  }
}

async function keypad({ keypad: k }: DevicesConfig, ctx: DoctorContext): Promise<CheckLine> {
  switch (k.driver) {
    case 'gpio-matrix': {
      const line = checkDevicePath('keypad', GPIO_EXPORT, 'w', ctx.isRoot, 'this kernel has no sysfs GPIO; see hardware/README.md');
      return line.status === 'OK' ? ok('keypad', `gpio-matrix rows ${k.rows.join(',')} cols ${k.cols.join(',')}: ${line.message}`) : line;
    }
    case 'evdev': {
      const line = checkDevicePath('keypad', k.path, 'r', ctx.isRoot, UDEV_HINT);
      if (line.status === 'FAIL') return line;
      // The evdev keypad reads through an `evtest --grab` child process.
      const evtest = await ctx.exec('evtest', ['--version']);
      return evtest === undefined ? fail('keypad', `${k.path}: evtest is not installed: apt-get install evtest`) : line;
    }
    case 'stdin':
      return warn('keypad', 'stdin (development driver): set devices.keypad to the gpio-matrix keypad');
  }
}

function displayLine({ display: d }: DevicesConfig, ctx: DoctorContext): CheckLine {
  switch (d.driver) {
    case 'serial-pole':
      return checkDevicePath('display', d.path, 'rw', ctx.isRoot, UDEV_HINT);
    case 'lcd-chardev':
      return checkDevicePath('display', d.path, 'w', ctx.isRoot, 'check the hd44780 dtoverlay line in /boot/firmware/config.txt');
    case 'console':
      return warn('display', 'console (development driver): set devices.display to the customer display');
    case 'file':
      return checkWritableDir('display', inBase(d.path));
  }
}

function buzzerLine({ buzzer: b }: DevicesConfig, ctx: DoctorContext): CheckLine | undefined {
  switch (b.driver) {
    case 'gpio': {
      const line = checkDevicePath('buzzer', GPIO_EXPORT, 'w', ctx.isRoot, 'this kernel has no sysfs GPIO; see hardware/README.md');
      return line.status === 'OK' ? ok('buzzer', `gpio BCM ${b.pin} active ${b.activeLow ? 'low' : 'high'}: ${line.message}`) : line;
    }
    case 'console':
      return warn('buzzer', 'console (development driver): set devices.buzzer to the GPIO buzzer, or remove it');
    case 'none':
      return undefined;
  }
}

const TEST_SIGNALS: readonly BuzzerSignal[] = ['click', 'success', 'failure'];

/** Plays the three signals one after the other, each to its end; FAIL when the buzzer reported a problem. */
export async function buzzerTest(buzzer: BuzzerPort, clock: Clock): Promise<CheckLine> {
  const problems: DeviceError[] = [];
  const off = buzzer.onProblem((p) => problems.push(p));
  try {
    await buzzer.start();
    for (const signal of TEST_SIGNALS) {
      buzzer.play(signal);
      // The signal's length and a pause, so each is heard on its own.
      await sleep(clock, BUZZER_PATTERNS[signal].reduce((sum, ms) => sum + ms, 0) + 400);
    }
    const problem = problems[0];
    if (problem !== undefined || buzzer.state() === 'failed') return fail('buzzer-test', problem === undefined ? `${buzzer.description}: not working` : errorText(problem));
    return ok('buzzer-test', `played a click, two short beeps and one long beep on ${buzzer.description}: check that you heard them`);
  } catch (error) {
    return fail('buzzer-test', errorText(error));
  } finally {
    off();
    await buzzer.stop().catch(() => undefined);
  }
}

async function printerLine({ printer: p }: DevicesConfig, ctx: DoctorContext): Promise<CheckLine> {
  const iface = p.interface;
  if (iface.startsWith('tcp://')) {
    const url = new URL(iface);
    return checkTcp('printer', url.hostname, url.port === '' ? 9100 : Number(url.port));
  }
  if (iface.startsWith('serial:')) return checkDevicePath('printer', iface.slice('serial:'.length), 'rw', ctx.isRoot, UDEV_HINT);
  if (iface.startsWith('file:')) {
    const line = checkWritableDir('printer', inBase(iface.slice('file:'.length)));
    return line.status === 'FAIL' ? line : warn('printer', `file: ${line.message} (development: nothing is printed)`);
  }
  return checkDevicePath('printer', iface, 'w', ctx.isRoot, UDEV_HINT);
}

async function printTest(devices: DevicesConfig, ctx: DoctorContext): Promise<CheckLine> {
  const printer = await createPrinter(devices.printer, deviceEnv(ctx));
  const doc = new EscPosDocument(encoderOptions(devices.printer))
    .line('counterpay', { bold: true, size: 2, align: 'center' })
    .line('printer test', { align: 'center' })
    .rule()
    .line(`Width ${devices.printer.width}, code page ${devices.printer.codePage}, other letters: ${devices.printer.textFallback}`)
    .line('Euro: 12.99 €')
    // Lithuanian letters: in the code page where it has them, else as raster text (or transliterated).
    .line('Lietuviškai: ąčęėįšųūž ĄČĘĖĮŠŲŪŽ')
    .feed(2)
    .cut();
  try {
    await printer.start();
    await printer.send({ id: `doctor-${Math.round(ctx.clock.wallMs())}`, kind: 'test', bytes: doc.bytes() });
    return ok('print-test', `test page sent to ${printer.description}: check that it printed and was cut`);
  } catch (error) {
    return fail('print-test', `${printer.description}: ${errorText(error)}`);
  } finally {
    await printer.stop().catch(() => undefined);
  }
}

async function displayTest(devices: DevicesConfig, ctx: DoctorContext): Promise<CheckLine> {
  const display = await createDisplay(devices.display, deviceEnv(ctx));
  const problems: DeviceError[] = [];
  const off = display.onProblem((p) => problems.push(p));
  try {
    await display.start();
    await display.show(['counterpay', 'display test OK']);
    const problem = problems[0];
    if (problem !== undefined) return fail('display-test', errorText(problem));
    return ok('display-test', `shows "counterpay" / "display test OK" on ${display.columns}x${display.rows}: check the display`);
  } catch (error) {
    return fail('display-test', errorText(error));
  } finally {
    off();
    await display.stop().catch(() => undefined);
  }
}

function deviceEnv(ctx: DoctorContext): DeviceEnvironment {
  return {
    clock: ctx.clock,
    locationId: ctx.loaded?.config.paysera.locationId ?? null,
    stdin: process.stdin,
    consoleOut: ctx.consoleOut,
    baseDir: process.cwd(),
  };
}

/** Relative paths resolve like the device factory's: against the working directory (the unit's is /var/lib/counterpay). */
function inBase(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
