import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeviceError, messageOf } from '../device-error.js';

/** Labels of the SoC GPIO controller whose lines are the 40-pin header's BCM numbers. */
const SOC_LABELS = /^pinctrl-(bcm2835|bcm2711|bcm2712|rp1)$/;

/**
 * The sysfs number of BCM line 0: `base` of the gpiochip whose label is the SoC controller.
 * Kernels 6.6+ number from 512 (Pi 4) or more, older ones from 0, so it is read at start and never
 * assumed. `root` is injectable for tests (default /sys/class/gpio).
 */
export async function readGpioBase(root = '/sys/class/gpio'): Promise<{ base: number; label: string; chip: string }> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => n.startsWith('gpiochip'));
  } catch (error) {
    throw new DeviceError('keypad', 'keypad_gpio_unavailable', `no sysfs GPIO at ${root} (${messageOf(error)}); enable CONFIG_GPIO_SYSFS or use the evdev keypad`, { cause: error });
  }
  for (const chip of names.sort()) {
    try {
      const label = (await readFile(join(root, chip, 'label'), 'utf8')).trim();
      if (!SOC_LABELS.test(label)) continue;
      const base = Number((await readFile(join(root, chip, 'base'), 'utf8')).trim());
      if (Number.isSafeInteger(base) && base >= 0) return { base, label, chip };
    } catch {
      // unreadable chip: try the next
    }
  }
  throw new DeviceError('keypad', 'keypad_gpio_unavailable', `no Raspberry Pi GPIO controller (pinctrl-bcm2835/2711/2712/rp1) under ${root}`);
}
