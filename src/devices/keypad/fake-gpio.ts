import type { GpioFactory, GpioLine } from './gpio.js';

/**
 * A simulated keypad matrix on simulated GPIO: rows are outputs, columns inputs with pull-ups.
 * A column reads 0 when a pressed key connects it to a row that is driven low. `press`/`release`
 * change the switches and fire the column interrupts whose level changed; `bounce` toggles a key
 * a few times like a real contact. Any other line is a plain output (the buzzer's); `breakLine`
 * makes writes to a line fail as a broken sysfs value file does.
 */
export class FakeGpio implements GpioFactory {
  private readonly lines = new Map<number, FakeLine>();
  private readonly closed = new Set<string>();
  private readonly broken = new Set<number>();

  constructor(
    private readonly rows: readonly number[],
    private readonly cols: readonly number[],
  ) {}

  input(bcm: number): GpioLine {
    return this.line(bcm, 'in', 1);
  }

  output(bcm: number, initial: 0 | 1): GpioLine {
    return this.line(bcm, 'out', initial);
  }

  press(row: number, col: number): void {
    this.switchTo(`${row},${col}`, true);
  }

  release(row: number, col: number): void {
    this.switchTo(`${row},${col}`, false);
  }

  /** Open/close the contact `times` times, ending closed (press) or open (release). */
  bounce(row: number, col: number, times: number, end: 'pressed' | 'released'): void {
    for (let i = 0; i < times; i++) {
      this.switchTo(`${row},${col}`, i % 2 === 0);
    }
    this.switchTo(`${row},${col}`, end === 'pressed');
  }

  /** Writes to `bcm` throw (EIO) until `repairLine`. */
  breakLine(bcm: number): void {
    this.broken.add(bcm);
  }

  repairLine(bcm: number): void {
    this.broken.delete(bcm);
  }

  isBroken(bcm: number): boolean {
    return this.broken.has(bcm);
  }

  /** Number of lines still exported. */
  exported(): number {
    return [...this.lines.values()].filter((l) => !l.unexported).length;
  }

  level(bcm: number): 0 | 1 {
    const line = this.lines.get(bcm);
    if (line === undefined) return 1;
    if (line.direction === 'out') return line.value;
    const c = this.cols.indexOf(bcm);
    if (c < 0) return 1;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.lines.get(this.rows[r]!);
      if (this.closed.has(`${r},${c}`) && row !== undefined && row.direction === 'out' && row.value === 0) return 0;
    }
    return 1;
  }

  private line(bcm: number, direction: 'in' | 'out', value: 0 | 1): FakeLine {
    const line = new FakeLine(this, bcm, direction, value);
    this.lines.set(bcm, line);
    return line;
  }

  private switchTo(id: string, closed: boolean): void {
    const before = this.cols.map((bcm) => this.level(bcm));
    if (closed) this.closed.add(id);
    else this.closed.delete(id);
    this.cols.forEach((bcm, i) => {
      const now = this.level(bcm);
      if (now !== before[i]) this.lines.get(bcm)?.fire(now);
    });
  }
}

class FakeLine implements GpioLine {
  private watchers: ((error: Error | null | undefined, value: 0 | 1) => void)[] = [];
  unexported = false;

  constructor(
    private readonly gpio: FakeGpio,
    readonly bcm: number,
    public direction: 'in' | 'out',
    public value: 0 | 1,
  ) {}

  readSync(): 0 | 1 {
    return this.gpio.level(this.bcm);
  }

  writeSync(value: 0 | 1): void {
    if (this.gpio.isBroken(this.bcm)) throw Object.assign(new Error(`EIO: i/o error, write (gpio ${this.bcm})`), { code: 'EIO' });
    this.value = value;
  }

  setDirection(direction: 'in' | 'out' | 'high' | 'low'): void {
    if (direction === 'in') this.direction = 'in';
    else {
      this.direction = 'out';
      if (direction !== 'out') this.value = direction === 'high' ? 1 : 0;
    }
  }

  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void {
    this.watchers.push(callback);
  }

  unwatchAll(): void {
    this.watchers = [];
  }

  unexport(): void {
    this.unexported = true;
  }

  fire(value: 0 | 1): void {
    for (const w of this.watchers) w(null, value);
  }
}
