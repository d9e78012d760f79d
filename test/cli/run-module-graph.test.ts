import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The packages (CommonJS, so in require's cache) that importing the built `run` command loads,
 * in a fresh node: what the service holds resident before it does anything.
 */
function packagesLoadedByRun(): string[] {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'commands', 'run.js'))) throw new Error('dist/ is missing: run npm run build (npm test does)');
  const script = `
    import { createRequire } from 'node:module';
    await import('./dist/src/cli/commands/run.js');
    const names = Object.keys(createRequire(import.meta.url).cache)
      .map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file)?.[1])
      .filter((name) => name !== undefined);
    process.stdout.write(JSON.stringify([...new Set(names)]));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`importing run failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe('counterpay run: the modules it loads at start', () => {
  it('loads the journal, HTTP and printer libraries, but not qrcode (loaded when a QR is first rendered)', () => {
    const loaded = packagesLoadedByRun();
    expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'undici', 'node-thermal-printer']));
    expect(loaded).not.toContain('qrcode');
    expect(loaded).not.toContain('pino-pretty');
  });
});
