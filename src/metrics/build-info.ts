import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * counterpay's version for `counterpay_build_info`: the nearest package.json above this file
 * named "counterpay" (src/metrics in the tree, dist/src/metrics once built). The same lookup as
 * `counterpay --version` (src/cli/package-version.ts), which this layer may not import.
 */
export function counterpayVersion(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'counterpay' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json here, or not readable: look one level up
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
