import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/**/*.ts', 'scripts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/test/**'], message: 'Test support does not ship in dist/: shipped code may not import it.' }] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
  },
);
