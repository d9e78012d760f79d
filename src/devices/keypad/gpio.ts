/** The part of a GPIO line the matrix keypad needs (onoff's Gpio fits, and so does FakeGpio). */
export interface GpioLine {
  readSync(): 0 | 1;
  writeSync(value: 0 | 1): void;
  setDirection(direction: 'in' | 'out' | 'high' | 'low'): void;
  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

/**
 * Creates lines by BCM number (the factory adds the sysfs base). Inputs are watched on both
 * edges; pull-ups come from config.txt (`gpio=12,16,20,21=ip,pu`), onoff cannot set them.
 */
export interface GpioFactory {
  input(bcm: number): GpioLine;
  output(bcm: number, initial: 0 | 1): GpioLine;
}
