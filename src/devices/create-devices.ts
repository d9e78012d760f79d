import { isAbsolute, resolve } from 'node:path';
import type { BuzzerConfig, DevicesConfig, DisplayConfig, KeypadConfig, PrinterConfig, ScannerConfig } from '../config/devices-schema.js';
import type { Clock } from '../platform/clock.js';
import type { BuzzerPort } from './buzzer/buzzer-port.js';
import { ConsoleBuzzer } from './buzzer/console-buzzer.js';
import { GpioBuzzer } from './buzzer/gpio-buzzer.js';
import { ConsoleDisplay } from './display/console-display.js';
import type { DisplayPort } from './display/display-port.js';
import { FileDisplay } from './display/file-display.js';
import { LcdCharDevDisplay } from './display/lcd-chardev.js';
import { SerialPoleDisplay } from './display/serial-pole.js';
import { EvdevKeypad } from './keypad/evdev-keypad.js';
import { createOnoffGpioFactory } from './keypad/gpio-factory.js';
import type { GpioFactory } from './keypad/gpio.js';
import type { KeypadPort } from './keypad/keypad-port.js';
import { MatrixKeypad } from './keypad/matrix-scanner.js';
import { StdinKeypad } from './keypad/stdin-keypad.js';
import type { EncoderOptions } from './printer/escpos-document.js';
import type { PrinterPort } from './printer/printer-port.js';
import { FileTransport } from './printer/transports/file.js';
import { SerialTransport } from './printer/transports/serial.js';
import { TcpTransport } from './printer/transports/tcp.js';
import { UsblpTransport } from './printer/transports/usblp.js';
import type { ScannerPort } from './scanner/scanner-port.js';
import { SerialScanner } from './scanner/serial-scanner.js';
import { StdinScanner } from './scanner/stdin-scanner.js';

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
  readonly encoder: EncoderOptions;
  /** Absent unless configured. */
  readonly buzzer: BuzzerPort | null;
}

/** Builds every port's adapter from the `devices` config section. Only constructs; nothing is opened. */
export async function createDevices(config: DevicesConfig, env: DeviceEnvironment): Promise<Devices> {
  return {
    scanner: createScanner(config.scanner, env),
    keypad: await createKeypad(config.keypad, env),
    display: createDisplay(config.display, env),
    printer: createPrinter(config.printer, env),
    encoder: encoderOptions(config.printer),
    buzzer: createBuzzer(config.buzzer, env),
  };
}

/** The buzzer claims its GPIO line only in start(), so a missing GPIO is retried like any device. */
export function createBuzzer(config: BuzzerConfig, env: DeviceEnvironment): BuzzerPort | null {
  switch (config.driver) {
    case 'gpio':
      return new GpioBuzzer({ gpio: env.gpio ?? (() => createOnoffGpioFactory()), pin: config.pin, activeLow: config.activeLow, clock: env.clock });
    case 'console':
      return new ConsoleBuzzer(env.consoleOut);
    case 'none':
      return null;
  }
}

export function createScanner(config: ScannerConfig, env: DeviceEnvironment): ScannerPort | null {
  const classifier = { locationId: env.locationId };
  switch (config.driver) {
    case 'serial':
      return new SerialScanner({ path: config.path, baudRate: config.baudRate, clock: env.clock, classifier });
    case 'stdin':
      return new StdinScanner({ input: env.stdin, clock: env.clock, classifier });
    case 'none':
      return null;
  }
}

export async function createKeypad(config: KeypadConfig, env: DeviceEnvironment): Promise<KeypadPort> {
  switch (config.driver) {
    case 'gpio-matrix': {
      const gpio = await (env.gpio ?? (() => createOnoffGpioFactory()))();
      return new MatrixKeypad({ gpio, clock: env.clock, rows: config.rows, cols: config.cols, keys: config.keys });
    }
    case 'evdev':
      return new EvdevKeypad({ path: config.path, clock: env.clock, keyMap: config.keyMap });
    case 'stdin':
      return new StdinKeypad({ input: env.stdin, clock: env.clock, onInterrupt: () => process.kill(process.pid, 'SIGINT') });
  }
}

export function createDisplay(config: DisplayConfig, env: DeviceEnvironment): DisplayPort {
  switch (config.driver) {
    case 'serial-pole':
      return new SerialPoleDisplay({ path: config.path, baudRate: config.baudRate, commandSet: config.commandSet, columns: config.columns });
    case 'lcd-chardev':
      return new LcdCharDevDisplay({ path: config.path, columns: config.columns });
    case 'console':
      return new ConsoleDisplay({ output: env.consoleOut });
    case 'file':
      return new FileDisplay({ path: inBase(config.path, env.baseDir), clock: env.clock });
  }
}

export function createPrinter(config: PrinterConfig, env: DeviceEnvironment): PrinterPort {
  const iface = config.interface;
  if (iface.startsWith('tcp://')) {
    const url = new URL(iface);
    return new TcpTransport({ host: url.hostname, port: url.port === '' ? 9100 : Number(url.port) });
  }
  if (iface.startsWith('serial:')) return new SerialTransport({ path: iface.slice('serial:'.length) });
  if (iface.startsWith('file:')) return new FileTransport({ dir: inBase(iface.slice('file:'.length), env.baseDir) });
  return new UsblpTransport({ path: iface, clock: env.clock });
}

export function encoderOptions(config: PrinterConfig): EncoderOptions {
  return { type: config.type, width: config.width, codePage: config.codePage, qr: config.qr, textFallback: config.textFallback };
}

function inBase(path: string, baseDir: string): string {
  return isAbsolute(path) ? path : resolve(baseDir, path);
}
