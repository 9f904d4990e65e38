// Process layering (SPEC §3b): only the Electron host and preload touch electron; the renderer touches no
// Node built-ins, main/ or db/. Type-aware rules stay in tsc; this config guards the boundaries.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'os', 'crypto', 'http', 'net', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'bench/.data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['main/**/*.ts', 'db/**/*.ts', 'tools/**/*.ts'],
    ignores: ['main/index.ts', 'main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only the Electron host (main/index.ts, main/electron/) imports electron.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to hosts only through window.api / renderer/api.ts.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs sandboxed: no Node built-ins.' },
            { group: ['**/main/**', '**/db/**', '!**/db/schema'], message: 'The renderer reaches services only through the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/contract.ts', 'preload/messages.ts', 'preload/wire.ts', 'preload/bridge.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: nodeBuiltins }],
    },
  },
);
