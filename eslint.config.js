// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NETWORK_MODULES = ['http', 'https', 'http2', 'net', 'tls', 'dns', 'dgram'].flatMap((m) => [
  m,
  `node:${m}`,
]);

/** The package boundaries of ARCHITECTURE.md, enforced on every import. */
const boundary = (/** @type {string[]} */ paths, /** @type {string[]} */ patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: paths.map((name) => ({ name, message })),
      patterns: [{ group: patterns, message }],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', 'packages/kms-sim/src/model/**', '**/*.d.ts'] },
  js.configs.recommended,
  {
    files: ['packages/*/src/**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['packages/shared/src/**/*.ts'],
    rules: boundary(
      [
        'fs',
        'node:fs',
        'fs/promises',
        'node:fs/promises',
        'child_process',
        'node:child_process',
        ...NETWORK_MODULES,
      ],
      ['@aws-sdk/*', '@byok-ceremony/*', 'node:*'],
      'packages/shared is pure: no I/O, no Node modules, no AWS SDK, no other package of ours.',
    ),
  },
  {
    files: ['packages/node-io/src/**/*.ts'],
    rules: boundary(
      NETWORK_MODULES,
      [
        '@aws-sdk/*',
        '@smithy/*',
        '@byok-ceremony/online',
        '@byok-ceremony/offline',
        '@byok-ceremony/kms-sim',
      ],
      'packages/node-io is loaded by the air-gapped byok-offline: no network module, no AWS SDK, no online, offline or kms-sim.',
    ),
  },
  {
    files: ['packages/offline/src/**/*.ts'],
    rules: boundary(
      NETWORK_MODULES,
      ['@aws-sdk/*', '@smithy/*', '@byok-ceremony/online', '@byok-ceremony/kms-sim'],
      'packages/offline runs air-gapped: no network module, no AWS SDK, no online or kms-sim.',
    ),
  },
  {
    files: ['packages/online/src/**/*.ts'],
    rules: boundary(
      ['@byok-ceremony/offline', '@byok-ceremony/kms-sim'],
      ['@byok-ceremony/offline', '@byok-ceremony/kms-sim'],
      'packages/online may not use offline or kms-sim outside its tests.',
    ),
  },
  {
    files: ['packages/online/src/**/*.ts'],
    ignores: ['packages/online/src/kms/**'],
    rules: boundary(
      ['@byok-ceremony/offline', '@byok-ceremony/kms-sim'],
      ['@aws-sdk/*', '@byok-ceremony/offline', '@byok-ceremony/kms-sim'],
      'Only packages/online/src/kms/ touches the AWS SDK, behind one client factory.',
    ),
  },
  {
    files: ['packages/kms-sim/src/**/*.ts'],
    rules: boundary(
      ['@byok-ceremony/online', '@byok-ceremony/offline'],
      ['@aws-sdk/*', '@byok-ceremony/online', '@byok-ceremony/offline'],
      'packages/kms-sim uses shared, node:http and node:crypto only; never online or offline.',
    ),
  },
  {
    files: ['**/*.{js,mjs}', 'packages/*/test/**/*.ts', 'bench/**/*', 'vitest.config.ts'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
  },
  {
    files: ['packages/*/test/**/*.ts', 'vitest.config.ts'],
    extends: [tseslint.configs.recommended],
  },
);
