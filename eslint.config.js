// @ts-check
import js from '@eslint/js';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * Built-in modules through which code can reach a network or escape the checks on imports:
 * sockets and HTTP (and their internals), DNS, cluster (shared server sockets), the inspector
 * (opens a WebSocket server), worker threads (fresh globals, fetch included), child processes
 * (another program can connect) and `module` (createRequire loads any module by a computed name).
 */
const NETWORK_CAPABLE = builtinModules.filter((m) =>
  /^(_http_\w+|_tls_\w+|http|https|http2|net|tls|dns|dgram|cluster|inspector|worker_threads|child_process|module)(\/|$)/.test(
    m,
  ),
);
/** A module name in both of the forms Node accepts. */
const bothForms = (/** @type {readonly string[]} */ names) =>
  names.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`]));
/**
 * Every built-in module, including the ones Node only knows with the prefix: Node 24 lists those
 * in builtinModules, Node 20 does not, and ESLint refuses a restricted path named twice.
 */
const ALL_BUILTINS = [
  ...new Set([...builtinModules, 'node:sea', 'node:sqlite', 'node:test', 'node:test/reporters']),
];

const escapeRegex = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (/** @type {readonly string[]} */ names) => names.map(escapeRegex).join('|');

/**
 * The npm packages each package's sources may import (a subpath of one is allowed too); every
 * other package is refused. Each must also be a declared dependency (test/lint-boundaries.test.ts).
 */
export const ALLOWED_PACKAGES = {
  shared: ['@noble/hashes', 'yaml'],
  'node-io': ['@byok-ceremony/shared', 'jpeg-js', 'jsqr', 'pngjs', 'qrcode', 'yargs', 'zxing-wasm'],
  offline: [
    '@byok-ceremony/node-io',
    '@byok-ceremony/shared',
    'age-encryption',
    'fflate',
    'pkcs11js',
    'shamir-secret-sharing',
    'yargs',
  ],
  online: [
    '@aws-sdk/client-kms',
    '@byok-ceremony/node-io',
    '@byok-ceremony/shared',
    '@smithy/core',
    'yargs',
  ],
  'kms-sim': [
    '@aws-crypto/sha256-js',
    '@byok-ceremony/node-io',
    '@byok-ceremony/shared',
    '@smithy/signature-v4',
    'yargs',
  ],
};

/** The globals through which code in Node can reach the network without an import. */
export const NETWORK_GLOBALS = [
  'fetch',
  'WebSocket',
  'EventSource',
  'XMLHttpRequest',
  'Request',
  'Response',
];

/**
 * One package's boundary, enforced on static imports and re-exports, dynamic import() and
 * require(): the built-in modules it may not use, and the only npm packages it may use.
 */
function boundary(
  /** @type {{ bannedBuiltins: readonly string[], packages: readonly string[], builtinMessage: string, networkGlobals?: boolean, bannedPaths?: readonly { name: string, message: string }[], bannedSyntax?: readonly { selector: string, message: string }[] }} */ spec,
) {
  const banned = bothForms(spec.bannedBuiltins);
  const allowedBuiltins = bothForms(ALL_BUILTINS).filter((m) => !banned.includes(m));
  // Anything that is not relative, not an allowed built-in and not an allowed package.
  const notAllowed = `^(?!\\.{1,2}/)(?!(${anyOf(allowedBuiltins)})$)(?!(${anyOf(banned)})$)(?!(${anyOf(spec.packages)})(/|$))`;
  const packageMessage = `this package may import only these npm packages: ${spec.packages.join(', ') || 'none'} (eslint.config.js ALLOWED_PACKAGES).`;
  // esquery's regex literals cannot hold a slash.
  const selectorRegex = (/** @type {string} */ source) => `/${source.replaceAll('/', '\\x2F')}/`;
  /** @type {Record<string, unknown>} */
  const rules = {
    'no-restricted-imports': [
      'error',
      {
        paths: [
          ...banned.map((name) => ({ name, message: spec.builtinMessage })),
          ...(spec.bannedPaths ?? []),
        ],
        patterns: [{ regex: notAllowed, message: packageMessage }],
      },
    ],
    'no-restricted-syntax': [
      'error',
      ...(banned.length === 0
        ? []
        : [
            {
              selector: `ImportExpression[source.value=${selectorRegex(`^(${anyOf(banned)})$`)}]`,
              message: spec.builtinMessage,
            },
          ]),
      {
        selector: `ImportExpression[source.value=${selectorRegex(notAllowed)}]`,
        message: packageMessage,
      },
      {
        selector: 'ImportExpression > :not(Literal).source',
        message: 'import() takes a literal module name here, so the boundaries can see it.',
      },
      {
        selector: "CallExpression[callee.name='require']",
        message: 'ES modules only: require() would get past the boundaries.',
      },
      {
        selector: 'TSImportEqualsDeclaration',
        message: 'ES modules only: import = require() would get past the boundaries.',
      },
      ...(spec.bannedSyntax ?? []),
    ],
  };
  if (spec.networkGlobals === true) {
    const message =
      'shared, node-io and offline run on the air-gapped machine: no network global (byok-offline deletes them at start-up).';
    rules['no-restricted-globals'] = [
      'error',
      ...NETWORK_GLOBALS.map((name) => ({ name, message })),
    ];
    rules['no-restricted-properties'] = [
      'error',
      ...['globalThis', 'global', 'self', 'window'].flatMap((object) =>
        NETWORK_GLOBALS.map((property) => ({ object, property, message })),
      ),
      ...['binding', '_linkedBinding', 'dlopen'].map((property) => ({
        object: 'process',
        property,
        message:
          'shared, node-io and offline run on the air-gapped machine: no native bindings past the boundaries.',
      })),
    ];
  }
  return rules;
}

/** The PKCS#11 binding (a native addon) is loaded only by the token port, src/io/pkcs11/. */
const OFFLINE_PACKAGES = ALLOWED_PACKAGES.offline.filter((p) => p !== 'pkcs11js');

const OFFLINE_BUILTINS_MESSAGE =
  'runs air-gapped: no network-capable Node module (sockets, HTTP, DNS, cluster, inspector, worker_threads, module; child_process only for the camera).';

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
    rules: boundary({
      bannedBuiltins: ALL_BUILTINS,
      packages: ALLOWED_PACKAGES.shared,
      builtinMessage: 'packages/shared is pure: no Node module at all, no I/O.',
      networkGlobals: true,
      // Time is passed in (deps.now, a budget clock): shared reads no clock.
      bannedSyntax: [
        "MemberExpression[object.name='Date'][property.name='now']",
        "MemberExpression[object.name='performance']",
        "NewExpression[callee.name='Date'][arguments.length=0]",
      ].map((selector) => ({
        selector,
        message: 'packages/shared reads no clock: take the time or a clock as a parameter.',
      })),
    }),
  },
  {
    files: ['packages/node-io/src/**/*.ts'],
    rules: boundary({
      bannedBuiltins: NETWORK_CAPABLE,
      packages: ALLOWED_PACKAGES['node-io'],
      builtinMessage: `packages/node-io is loaded by byok-offline, which ${OFFLINE_BUILTINS_MESSAGE}`,
      networkGlobals: true,
    }),
  },
  {
    files: ['packages/offline/src/**/*.ts'],
    rules: boundary({
      bannedBuiltins: NETWORK_CAPABLE,
      packages: OFFLINE_PACKAGES,
      builtinMessage: `packages/offline ${OFFLINE_BUILTINS_MESSAGE}`,
      networkGlobals: true,
    }),
  },
  {
    // The token port: the one place the PKCS#11 binding is imported (with import(), on --hsm).
    files: ['packages/offline/src/io/pkcs11/**/*.ts'],
    rules: boundary({
      bannedBuiltins: NETWORK_CAPABLE,
      packages: ALLOWED_PACKAGES.offline,
      builtinMessage: `packages/offline ${OFFLINE_BUILTINS_MESSAGE}`,
      networkGlobals: true,
    }),
  },
  {
    // The camera capture spawns ffmpeg (without a shell): the one place child_process is needed.
    files: ['packages/offline/src/io/qr-camera.ts'],
    rules: boundary({
      bannedBuiltins: NETWORK_CAPABLE.filter((m) => m !== 'child_process'),
      packages: OFFLINE_PACKAGES,
      builtinMessage: `packages/offline ${OFFLINE_BUILTINS_MESSAGE}`,
      networkGlobals: true,
    }),
  },
  {
    files: ['packages/online/src/**/*.ts'],
    rules: boundary({
      bannedBuiltins: [],
      packages: ALLOWED_PACKAGES.online.filter((p) => !/^@(aws-sdk|smithy)\//.test(p)),
      builtinMessage: '',
    }),
  },
  {
    // Only packages/online/src/kms/ touches the AWS SDK, behind one client factory.
    files: ['packages/online/src/kms/**/*.ts'],
    rules: boundary({
      bannedBuiltins: [],
      packages: ALLOWED_PACKAGES.online.filter((p) => !p.startsWith('@smithy/')),
      builtinMessage: '',
    }),
  },
  {
    // The SDK's own config-file loader, to say when --profile names no profile: this file only.
    files: ['packages/online/src/kms/aws-profile.ts'],
    rules: boundary({
      bannedBuiltins: [],
      packages: ALLOWED_PACKAGES.online,
      builtinMessage: '',
    }),
  },
  {
    files: ['packages/kms-sim/src/**/*.ts'],
    rules: boundary({
      bannedBuiltins: [],
      // Of node-io, only the key-material entry: the same generator and key wrap byok-offline
      // uses (not its main entry, qr-encode or qr-scan).
      packages: ALLOWED_PACKAGES['kms-sim'].map((p) =>
        p === '@byok-ceremony/node-io' ? '@byok-ceremony/node-io/key-material' : p,
      ),
      builtinMessage: '',
    }),
  },
  {
    files: [
      '**/*.{js,mjs}',
      'packages/*/test/**/*.ts',
      'test/**/*.ts',
      'bench/**/*',
      'vitest.config.ts',
    ],
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
    files: ['packages/*/test/**/*.ts', 'test/**/*.ts', 'vitest.config.ts'],
    extends: [tseslint.configs.recommended],
  },
);
