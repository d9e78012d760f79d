import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readGpioBase } from './sysfs-gpio-base.js';

describe('readGpioBase', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'counterpay-sysfs-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const chip = (name: string, label: string, base: number): void => {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'label'), `${label}\n`);
    writeFileSync(join(root, name, 'base'), `${base}\n`);
  };

  it('finds the SoC controller on a 6.6+ kernel (base 512), ignoring other chips', async () => {
    chip('gpiochip504', 'raspberrypi-exp-gpio', 504);
    chip('gpiochip512', 'pinctrl-bcm2711', 512);
    writeFileSync(join(root, 'export'), '');
    await expect(readGpioBase(root)).resolves.toEqual({ base: 512, label: 'pinctrl-bcm2711', chip: 'gpiochip512' });
  });

  it('works with an old kernel (base 0) and a Pi 5 (rp1)', async () => {
    chip('gpiochip0', 'pinctrl-bcm2835', 0);
    await expect(readGpioBase(root)).resolves.toMatchObject({ base: 0 });
    rmSync(join(root, 'gpiochip0'), { recursive: true });
    chip('gpiochip571', 'pinctrl-rp1', 571);
    await expect(readGpioBase(root)).resolves.toMatchObject({ base: 571 });
  });

  it('reports a coded error without sysfs GPIO or without a Pi controller', async () => {
    await expect(readGpioBase(join(root, 'missing'))).rejects.toMatchObject({ code: 'keypad_gpio_unavailable' });
    chip('gpiochip0', 'some-expander', 0);
    await expect(readGpioBase(root)).rejects.toMatchObject({ code: 'keypad_gpio_unavailable' });
  });
});
