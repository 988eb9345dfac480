// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Globals and properties that would make the engine depend on the wall clock, real randomness or timers. */
const determinismGlobals = [
  { name: 'Date', message: 'engine/: virtual time only (DESIGN: Determinism). Use Kernel.now.' },
  { name: 'performance', message: 'engine/: no wall clock (DESIGN: Determinism).' },
  { name: 'setTimeout', message: 'engine/: no timers; schedule an event on the kernel queue.' },
  { name: 'setInterval', message: 'engine/: no timers; schedule an event on the kernel queue.' },
  { name: 'setImmediate', message: 'engine/: no timers; schedule an event on the kernel queue.' },
  { name: 'queueMicrotask', message: 'engine/: no timers; schedule an event on the kernel queue.' },
  { name: 'requestAnimationFrame', message: 'engine/: no timers.' },
  { name: 'crypto', message: 'engine/: randomness comes from seeded streams (engine/sim/random.ts).' },
  { name: 'document', message: 'engine/: no DOM (the wall in DESIGN).' },
  { name: 'window', message: 'engine/: no DOM (the wall in DESIGN).' },
];

export default tseslint.config(
  {
    ignores: ['node_modules', 'dist', 'test-results', 'playwright-report', '.tmp', 'engine/**/testdata/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs', '.ci/*.mjs'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/engine/*',
                '!**/engine/protocol*',
                '!**/engine/scenario/*',
                '!**/engine/scenario',
                '!**/engine/link',
                '**/engine/link/*',
                '!**/engine/link/linkCodec*',
                '!**/engine/link/linkTypes*',
                '!**/engine/flink/*',
                '!**/engine/flink',
              ],
              message:
                'app/ talks to the engine through engine/protocol.ts (and the worker); it never re-implements engine rules.',
            },
          ],
        },
      ],
    },
  },
  // The wall and the determinism contract (DESIGN.md): engine/ imports nothing from app/, React or the DOM,
  // and reads no wall clock, timers or Math.random outside tests, bench and the thin worker/CLI shells.
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/**/*.test.ts', 'engine/worker.ts', 'engine/cli.ts', 'engine/cli/**'],
    rules: {
      'no-restricted-globals': ['error', ...determinismGlobals],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'engine/: use a seeded stream (engine/sim/random.ts).',
        },
        { object: 'Date', property: 'now', message: 'engine/: virtual time only.' },
        { object: 'globalThis', property: 'setTimeout', message: 'engine/: no timers.' },
        { object: 'self', property: 'setTimeout', message: 'engine/: no timers.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'engine/ must not import React (the wall).' },
            { name: 'react-dom', message: 'engine/ must not import React (the wall).' },
            { name: 'zustand', message: 'engine/ must not import UI state (the wall).' },
            { name: 'd3', message: 'engine/ must not import UI libraries (the wall).' },
            { name: 'node:fs', message: 'engine/ runs in a worker: no Node built-ins outside the CLI.' },
            { name: 'fs', message: 'engine/ runs in a worker: no Node built-ins outside the CLI.' },
          ],
          patterns: [
            { group: ['**/app/**', '**/app'], message: 'engine/ imports nothing from app/ (the wall).' },
            { group: ['d3-*', 'react/*', 'react-dom/*'], message: 'engine/ must not import UI libraries.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
