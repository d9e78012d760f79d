import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layer rules of docs/architecture.md ("Layer rules"), one entry per top folder of src/: the
 * folders it may import from (values and types), and the adapter folders it may reach only
 * through their ports (type imports, plus the values of their port files: *-port.ts, *-api.ts,
 * *-types.ts, *-error.ts). Every other folder of src/ is refused. Keep this table and the page's
 * table line for line the same.
 */
export const ALL = ['app', 'cli', 'config', 'demo', 'devices', 'doctor', 'domain', 'emulator', 'engine', 'gateways', 'i18n', 'log', 'metrics', 'platform', 'printing', 'queue', 'report', 'store', 'ui'];
const BASE = ['platform', 'log'];
const PURE = [...BASE, 'domain', 'config', 'i18n'];
export const LAYER_RULES = {
  // base: no project imports beyond itself
  platform: { ring: 'base', may: [] },
  log: { ring: 'base', may: ['platform'] },
  // pure: the domain and the data every layer reads
  domain: { ring: 'pure', may: ['platform'] },
  config: { ring: 'pure', may: ['platform', 'domain', 'i18n'] },
  i18n: { ring: 'pure', may: ['platform', 'domain'] },
  // core: decides; reaches adapters through their ports only
  engine: { ring: 'core', may: [...PURE, 'printing'], ports: ['store', 'gateways'] },
  printing: { ring: 'core', may: PURE, ports: ['store', 'devices'] },
  report: { ring: 'core', may: [...PURE, 'printing'], ports: ['store', 'devices'] },
  ui: { ring: 'core', may: [...PURE, 'engine', 'printing'], ports: ['store', 'devices'] },
  // adapters: implement the ports; know the domain, never the core or each other
  store: { ring: 'adapter', may: PURE },
  devices: { ring: 'adapter', may: PURE },
  gateways: { ring: 'adapter', may: PURE },
  // test bed: follows the published documents, so it knows none of our clients
  emulator: { ring: 'test bed', may: PURE },
  // outer: wire and run the rest
  metrics: { ring: 'outer', may: [...PURE, 'engine', 'printing', 'store', 'devices', 'gateways'] },
  doctor: { ring: 'outer', may: [...PURE, 'printing', 'store', 'devices', 'gateways'] },
  queue: { ring: 'outer', may: [...PURE, 'engine', 'printing', 'report', 'store', 'devices', 'gateways', 'doctor'] },
  app: { ring: 'outer', may: [...PURE, 'engine', 'printing', 'report', 'ui', 'store', 'devices', 'gateways', 'metrics'] },
  demo: { ring: 'outer', may: [...PURE, 'engine', 'printing', 'report', 'ui', 'store', 'devices', 'gateways', 'metrics', 'app', 'emulator'] },
  cli: { ring: 'entry', may: ALL.filter((f) => f !== 'cli') },
};

/** Shipped code never imports test support (it does not ship in dist/). */
const TEST_SUPPORT = { group: ['**/test/**'], message: 'Test support does not ship in dist/: shipped code may not import it.' };

const page = 'docs/architecture.md#layer-rules';
const folders = (list) => `^(\\.\\./)+(${list.join('|')})/`;

function layerPatterns(folder) {
  const rule = LAYER_RULES[folder];
  const ports = rule.ports ?? [];
  const refused = ALL.filter((f) => f !== folder && !rule.may.includes(f) && !ports.includes(f));
  const patterns = [TEST_SUPPORT];
  if (refused.length > 0) {
    patterns.push({
      regex: folders(refused),
      message: `Layer rule "${folder}" (${rule.ring}): src/${folder} imports only ${[...rule.may, ...ports.map((p) => `${p} ports`)].join(', ') || 'itself'}; see ${page}.`,
    });
  }
  if (ports.length > 0) {
    patterns.push({
      regex: `^(\\.\\./)+(${ports.join('|')})/(?!(.+/)?[^/]*(-port|-api|-types|-error)\\.js$)`,
      allowTypeImports: true,
      message: `Layer rule "${folder}" (${rule.ring}): the core reaches ${ports.join(', ')} through their ports only: \`import type\`, or a *-port/-api/-types/-error file; the composition root (src/app) passes the adapter in; see ${page}.`,
    });
  }
  return patterns;
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'demo-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Everything that decides or records takes time and randomness from an injected Clock and
    // id source, so backoff, timeouts, deadlines, retention and day boundaries are tested
    // instantly, deterministically and on any date. Only platform/ (SystemClock, SystemRandom)
    // and the entry points that wire them read the machine's clock.
    files: [
      'src/domain/**/*.ts',
      'src/engine/**/*.ts',
      'src/printing/**/*.ts',
      'src/ui/**/*.ts',
      'src/store/**/*.ts',
      'src/report/**/*.ts',
      'src/queue/**/*.ts',
      'src/app/**/*.ts',
      'src/cli/commands/queue.ts',
      'src/cli/commands/report.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use the injected random source.' },
        { object: 'performance', property: 'now', message: 'Use the injected Clock.' },
        { object: 'process', property: 'hrtime', message: 'Use the injected Clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock.' },
        { selector: "CallExpression[callee.name='Date']", message: 'Date() reads the machine clock: use the injected Clock.' },
        // SQLite's own clock is the machine's: rows are stamped with the store's Clock.
        { selector: "Literal[value=/'now'|CURRENT_(TIMESTAMP|DATE|TIME)/i]", message: "SQLite's 'now' is the machine clock: bind the store Clock's time." },
        { selector: "TemplateElement[value.raw=/'now'|CURRENT_(TIMESTAMP|DATE|TIME)/i]", message: "SQLite's 'now' is the machine clock: bind the store Clock's time." },
      ],
    },
  },
  {
    // dist/ is built from src/ and scripts/ without their *.test.ts: test helpers live in
    // test/support/, and code that ships may not reach them (a port's fake used by the demo or
    // the crash loop lives beside its port instead).
    files: ['scripts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [TEST_SUPPORT] }] },
  },
  // The layer rules, per folder of src/ (tests may reach across layers to set things up).
  ...Object.keys(LAYER_RULES).map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(folder) }] },
  })),
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
