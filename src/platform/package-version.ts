import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * counterpay's version, from its package.json: the nearest one above this file named
 * "counterpay" (two levels up from src/platform/ in the tree, three from dist/src/platform/ once
 * built). For `counterpay --version` and the metrics' build info.
 */
export function packageVersion(from: string = import.meta.url): string {
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
