import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PAGE = 'docs/architecture.md#layer-rules';
type Rule = { ring: string; may: string[]; ports?: string[] };
// The lint config is the rule set's one source; this test holds the page and the code to it.
const lintConfig = '../../eslint.config.js';
const { ALL, LAYER_RULES } = (await import(lintConfig)) as { ALL: string[]; LAYER_RULES: Record<string, Rule> };
const RULES = LAYER_RULES;

const eslint = new ESLint({ cwd: ROOT });

/** Lints `code` as if it were the file `path` (nothing is written): the messages of the layer rules. */
async function layerMessages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (docs/architecture.md#layer-rules, eslint.config.js)', () => {
  it('the page states the same table as the lint config, row for row', () => {
    const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
    const section = page.slice(page.indexOf('## Layer rules'), page.indexOf('## The folders'));
    const expand = (cell: string): string[] =>
      cell
        .split(',')
        .map((s) => s.trim())
        .flatMap((s) => (s === 'base' ? ['platform', 'log'] : s === 'pure' ? ['domain', 'config', 'i18n'] : s === 'everything' ? ALL : s === 'nothing of ours' || s === '' ? [] : [s]));
    const rows = [...section.matchAll(/^\| ([a-z ]+) \| `([a-z0-9-]+)` \|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|$/gm)].map((m) => ({
      ring: m[1],
      folder: m[2] as string,
      may: expand(m[3] ?? '').filter((f) => f !== m[2]).sort(),
      ports: expand(m[4] ?? '').sort(),
    }));
    const fromConfig = Object.entries(RULES).map(([folder, r]) => ({ ring: r.ring, folder, may: [...r.may].filter((f) => f !== folder).sort(), ports: [...(r.ports ?? [])].sort() }));
    expect(rows).toEqual(fromConfig);
    // Every folder of src/ has its row.
    const folders = readdirSync(join(ROOT, 'src')).filter((f) => statSync(join(ROOT, 'src', f)).isDirectory()).sort();
    expect(Object.keys(RULES).sort()).toEqual(folders);
    expect([...ALL].sort()).toEqual(folders);
  });

  it.each([
    ['src/domain/planted.ts', "import { Store } from '../store/store.js';"],
    ['src/domain/planted.ts', "import { JournaledPaymentEngine } from '../engine/journaled-payment-engine.js';"],
    ['src/domain/planted.ts', "import type { WalletApi } from '../gateways/paysera-wallet/wallet-api.js';"],
    ['src/platform/planted.ts', "import { money } from '../domain/money.js';"],
    ['src/store/planted.ts', "import { TerminalUi } from '../ui/terminal-ui.js';"],
    ['src/devices/scanner/planted.ts', "import type { UiState } from '../../ui/ui-state.js';"],
    ['src/engine/planted.ts', "import { TerminalUi } from '../ui/terminal-ui.js';"],
    ['src/engine/paysera-wallet/planted.ts', "import { main } from '../../cli/main.js';"],
    ['src/printing/planted.ts', "import { TerminalApp } from '../app/terminal-app.js';"],
    ['src/engine/planted.ts', "import { PayseraWalletClient } from '../gateways/paysera-wallet/wallet-client.js';"],
    ['src/ui/planted.ts', "import { SerialScanner } from '../devices/scanner/serial-scanner.js';"],
    ['src/emulator/planted.ts', "import { PayseraWalletClient } from '../gateways/paysera-wallet/wallet-client.js';"],
    ['src/gateways/planted.ts', "import { Store } from '../store/store.js';"],
  ])('refuses %s: %s', async (path, code) => {
    const messages = await layerMessages(path, `${code}\nexport const planted = 1;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Layer rule');
    expect(messages[0]).toContain(PAGE);
  });

  it.each([
    ['src/engine/planted.ts', "import type { PayseraWalletClient } from '../gateways/paysera-wallet/wallet-client.js';"],
    ['src/engine/planted.ts', "import { WalletError } from '../gateways/paysera-wallet/wallet-error.js';"],
    ['src/engine/planted.ts', "import type { Store } from '../store/store.js';"],
    ['src/ui/planted.ts', "import { money } from '../domain/money.js';"],
    ['src/store/planted.ts', "import { transition } from '../domain/sale.js';"],
    ['src/app/planted.ts', "import { Store } from '../store/store.js';"],
    ['src/cli/planted.ts', "import { TerminalApp } from '../app/terminal-app.js';"],
  ])('allows %s: %s', async (path, code) => {
    expect(await layerMessages(path, `${code}\nexport const planted = 1;\n`)).toEqual([]);
  });
});

/** Every relative import of every shipped source file, resolved to a path under src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from '(\.[^']+)\.js';/gms)].map((m) => relative(ROOT, resolve(dirname(path), `${m[1]}.ts`)));
        graph.set(relative(ROOT, path), targets);
      }
    }
  };
  walk(join(ROOT, 'src'));
  return graph;
}

describe('the shape of the source', () => {
  it('has no import cycle', () => {
    const graph = importGraph();
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[][] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file]);
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) if (graph.has(next)) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('keeps every source file under 450 lines and the engine core under 300', () => {
    const lines = (file: string): number => readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1;
    const long = [...importGraph().keys()].filter((file) => lines(file) > 450);
    expect(long).toEqual([]);
    expect(lines('src/engine/journaled-payment-engine.ts')).toBeLessThanOrEqual(300);
  });

  it('has no name twins: no two source files share a name, or differ only by a plural s (index.ts aside)', () => {
    const byName = new Map<string, string[]>();
    for (const file of importGraph().keys()) {
      const name = file.split('/').at(-1) ?? file;
      if (name === 'index.ts') continue;
      const key = name.replace(/s\.ts$/, '.ts');
      byName.set(key, [...(byName.get(key) ?? []), file]);
    }
    expect([...byName.values()].filter((files) => files.length > 1)).toEqual([]);
  });

  it('matches every engine provider folder with a gateway folder of the same name', () => {
    const dirs = (path: string): string[] => readdirSync(join(ROOT, path)).filter((f) => statSync(join(ROOT, path, f)).isDirectory());
    const providers = dirs('src/engine').filter((d) => d !== 'outbox');
    expect(providers.sort()).toEqual(dirs('src/gateways').filter((d) => d !== 'http').sort());
  });
});
