import type { GpioFactory, GpioLine } from './gpio.js';
import { readGpioBase } from './sysfs-gpio-base.js';

/**
 * GPIO lines through onoff (sysfs), with BCM numbers offset by the sysfs base read at start.
 * onoff is loaded only here, so nothing else in the app needs its native epoll module.
 */
export async function createOnoffGpioFactory(sysfsRoot?: string): Promise<GpioFactory> {
  const { base } = await readGpioBase(sysfsRoot);
  const { Gpio } = await import('onoff');
  return {
    input: (bcm) => new Gpio(base + bcm, 'in', 'both') as unknown as GpioLine,
    output: (bcm, initial) => new Gpio(base + bcm, initial === 0 ? 'low' : 'high') as unknown as GpioLine,
  };
}
