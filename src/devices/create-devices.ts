import { isAbsolute, resolve } from 'node:path';
import type { BuzzerConfig, DevicesConfig, DisplayConfig, KeypadConfig, PrinterConfig, ScannerConfig } from '../config/devices-schema.js';
import type { Clock } from '../platform/clock.js';
import type { BuzzerPort } from './buzzer/buzzer-port.js';
import { ConsoleBuzzer } from './buzzer/console-buzzer.js';
import { GpioBuzzer } from './buzzer/gpio-buzzer.js';
import type { DisplayPort } from './display/display-port.js';
import type { GpioFactory } from './keypad/gpio.js';
import type { KeypadPort } from './keypad/keypad-port.js';
import type { PrinterPort } from './printer/printer-port.js';
import type { ScannerPort } from './scanner/scanner-port.js';

/*
 * Each driver is imported when the config names it, not before: a terminal without a serial
 * device never loads serialport, one without a GPIO keypad never loads onoff (resident memory on
 * a Pi, and start-up time).
 */

export interface DeviceEnvironment {
  readonly clock: Clock;
  /** Our Paysera location id, for classifying scanned spot codes. */
  readonly locationId: number | null;
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Where the console display draws and the console buzzer beeps (stderr keeps stdout for command output). */
  readonly consoleOut: NodeJS.WritableStream;
  /** Relative `file:` and display file paths resolve against this directory. */
  readonly baseDir: string;
  /** Test seam: the GPIO factory for the matrix keypad and the buzzer (default: onoff with the sysfs base). */
  readonly gpio?: () => Promise<GpioFactory>;
}

export interface Devices {
  readonly scanner: ScannerPort | null;
  readonly keypad: KeypadPort;
  readonly display: DisplayPort;
  readonly printer: PrinterPort;
  /** Absent unless configured. */
  readonly buzzer: BuzzerPort | null;
}

/** Builds every port's adapter from the `devices` config section. Only constructs; nothing is opened. */
export async function createDevices(config: DevicesConfig, env: DeviceEnvironment): Promise<Devices> {
  return {
    scanner: await createScanner(config.scanner, env),
    keypad: await createKeypad(config.keypad, env),
    display: await createDisplay(config.display, env),
    printer: await createPrinter(config.printer, env),
    buzzer: createBuzzer(config.buzzer, env),
  };
}

/**
 * The GPIO factory the keypad and the buzzer open in their start(): onoff, loaded only then, with
 * the sysfs base read then, so a missing sysfs GPIO is a device that is retried, not a crash.
 */
function gpioOf(env: DeviceEnvironment): () => Promise<GpioFactory> {
  return env.gpio ?? (() => import('./keypad/gpio-factory.js').then((m) => m.createOnoffGpioFactory()));
}

/** The buzzer claims its GPIO line only in start(), so a missing GPIO is retried like any device. */
export function createBuzzer(config: BuzzerConfig, env: DeviceEnvironment): BuzzerPort | null {
  switch (config.driver) {
    case 'gpio':
      return new GpioBuzzer({ gpio: gpioOf(env), pin: config.pin, activeLow: config.activeLow, clock: env.clock });
    case 'console':
      return new ConsoleBuzzer(env.consoleOut);
    case 'none':
      return null;
  }
}

export async function createScanner(config: ScannerConfig, env: DeviceEnvironment): Promise<ScannerPort | null> {
  const classifier = { locationId: env.locationId };
  switch (config.driver) {
    case 'serial': {
      const { SerialScanner } = await import('./scanner/serial-scanner.js');
      return new SerialScanner({ path: config.path, baudRate: config.baudRate, clock: env.clock, classifier });
    }
    case 'stdin': {
      const { StdinScanner } = await import('./scanner/stdin-scanner.js');
      return new StdinScanner({ input: env.stdin, clock: env.clock, classifier });
    }
    case 'none':
      return null;
  }
}

export async function createKeypad(config: KeypadConfig, env: DeviceEnvironment): Promise<KeypadPort> {
  switch (config.driver) {
    case 'gpio-matrix': {
      const { MatrixKeypad } = await import('./keypad/matrix-scanner.js');
      return new MatrixKeypad({ gpio: gpioOf(env), clock: env.clock, rows: config.rows, cols: config.cols, keys: config.keys });
    }
    case 'evdev': {
      const { EvdevKeypad } = await import('./keypad/evdev-keypad.js');
      return new EvdevKeypad({ path: config.path, clock: env.clock, keyMap: config.keyMap });
    }
    case 'stdin': {
      const { StdinKeypad } = await import('./keypad/stdin-keypad.js');
      return new StdinKeypad({ input: env.stdin, clock: env.clock, onInterrupt: () => process.kill(process.pid, 'SIGINT') });
    }
  }
}

export async function createDisplay(config: DisplayConfig, env: DeviceEnvironment): Promise<DisplayPort> {
  switch (config.driver) {
    case 'serial-pole': {
      const { SerialPoleDisplay } = await import('./display/serial-pole.js');
      return new SerialPoleDisplay({ path: config.path, baudRate: config.baudRate, commandSet: config.commandSet, columns: config.columns });
    }
    case 'lcd-chardev': {
      const { LcdCharDevDisplay } = await import('./display/lcd-chardev.js');
      return new LcdCharDevDisplay({ path: config.path, columns: config.columns });
    }
    case 'console': {
      const { ConsoleDisplay } = await import('./display/console-display.js');
      return new ConsoleDisplay({ output: env.consoleOut });
    }
    case 'file': {
      const { FileDisplay } = await import('./display/file-display.js');
      return new FileDisplay({ path: inBase(config.path, env.baseDir), clock: env.clock });
    }
  }
}

export async function createPrinter(config: PrinterConfig, env: DeviceEnvironment): Promise<PrinterPort> {
  const iface = config.interface;
  if (iface.startsWith('tcp://')) {
    const url = new URL(iface);
    const { TcpTransport } = await import('./printer/transports/tcp.js');
    return new TcpTransport({ host: url.hostname, port: url.port === '' ? 9100 : Number(url.port) });
  }
  if (iface.startsWith('serial:')) {
    const { SerialTransport } = await import('./printer/transports/serial.js');
    return new SerialTransport({ path: iface.slice('serial:'.length) });
  }
  if (iface.startsWith('file:')) {
    const { FileTransport } = await import('./printer/transports/file.js');
    return new FileTransport({ dir: inBase(iface.slice('file:'.length), env.baseDir) });
  }
  const { UsblpTransport } = await import('./printer/transports/usblp.js');
  return new UsblpTransport({ path: iface, clock: env.clock });
}

function inBase(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
