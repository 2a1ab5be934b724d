import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleDigest, checkCodeOf } from '@byok-ceremony/shared';
import { importRequest } from '../helpers/request-fixture.js';
import { tempDir } from '../helpers/run-cli.js';
import { BIN, CLI, runProcess } from '../helpers/run-process.js';
import { traceNetwork } from '../helpers/trace-network.js';
import { soloWrapArgv } from '../../../../test/ceremony/driver.mjs';

// byok-offline's own sources and the shared Node-side I/O it loads.
const SOURCES = [
  fileURLToPath(new URL('../../src', import.meta.url)),
  fileURLToPath(new URL('../../../node-io/src', import.meta.url)),
];
const NETWORK =
  /^(node:)?(http|https|http2|net|tls|dns|dgram)(\/.*)?$|^@aws-sdk\/|^@smithy\/|^@byok-ceremony\/(online|kms-sim)$/;
const NETWORK_MODULE_LOADED = /^NativeModule (net|http|https|http2|tls|dns|dgram|_http_client)$/;
/** The globals byok-offline deletes at start-up (src/cli/remove-network-globals.ts). */
const NETWORK_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'WebSocket',
  'EventSource',
  'XMLHttpRequest',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every module specifier of a TypeScript file: static imports, re-exports, dynamic imports, require. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const pattern of [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  ]) {
    for (const match of text.matchAll(pattern)) found.push(match[1]!);
  }
  return found;
}

/** Writes a preload that records, at exit, every built-in module the process loaded. */
function moduleListHook(dir: string, extra = ''): string {
  const hook = join(dir, 'module-list-hook.mjs');
  const facts = {
    modules: 'process.moduleLoadList',
    globals: `${JSON.stringify(NETWORK_GLOBALS)}.filter((name) => name in globalThis)`,
    fetchReads: 'globalThis.byokFetchReads',
    stdinIsTerminal: 'fstatSync(0).isCharacterDevice()',
  };
  writeFileSync(
    hook,
    `import { fstatSync, writeFileSync } from 'node:fs';\n${extra}\n` +
      // Any read of fetch before byok-offline deletes it is counted (the getter goes with it).
      `globalThis.byokFetchReads = 0;\nconst fetch = globalThis.fetch;\n` +
      `Object.defineProperty(globalThis, 'fetch', { configurable: true, get() { globalThis.byokFetchReads++; return fetch; } });\n` +
      Object.entries(facts)
        .map(
          ([name, expression]) =>
            `process.on('exit', () => writeFileSync(${JSON.stringify(join(dir, `${name}.json`))}, JSON.stringify(${expression})));\n`,
        )
        .join(''),
  );
  return hook;
}

function fact<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T;
}

function loadedNetworkModules(dir: string): string[] {
  const list = fact<string[]>(dir, 'modules');
  expect(list.length).toBeGreaterThan(50);
  return list.filter((m) => NETWORK_MODULE_LOADED.test(m));
}

describe('byok-offline never touches the network', () => {
  it('no source file imports a network module, the AWS SDK, online or kms-sim', () => {
    const files = SOURCES.flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((file) => file.includes('node-io'))).toBe(true);
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => NETWORK.test(s))
        .map((s) => `${file}: ${s}`),
    );
    expect(offending).toEqual([]);
    // The scanner itself sees such imports.
    expect(
      specifiers("import http from 'node:http';\nexport * from '@aws-sdk/client-kms';").filter(
        (s) => NETWORK.test(s),
      ),
    ).toHaveLength(2);
  });

  it.each([
    ['the tsc output', CLI],
    ['the bundled bin', BIN],
  ])(
    'a full wrap through %s loads no network module, while a preloaded one is seen',
    (_, entry) => {
      const dir = tempDir();
      const request = importRequest([
        { keySpec: 'HMAC_256', validTo: new Date(Date.now() + 24 * 3600 * 1000) },
      ]);
      writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
      const hook = moduleListHook(dir);
      const result = runProcess(
        soloWrapArgv('request.json', checkCodeOf(bundleDigest(request))),
        dir,
        ['--import', hook],
        {},
        entry,
      );
      expect(result.stderr).not.toContain('error:');
      expect(result.code).toBe(0);
      expect(readFileSync(join(dir, 'wrapped.json'), 'utf8')).toContain('encryptedKeyMaterial');
      expect(loadedNetworkModules(dir)).toEqual([]);
      // Deleted at start-up, before any other module of the CLI was evaluated: none read it.
      expect(fact<string[]>(dir, 'globals')).toEqual([]);
      expect(fact<number>(dir, 'fetchReads')).toBe(0);

      const control = tempDir();
      const controlHook = moduleListHook(control, "await import('node:https');");
      runProcess(['inspect', '--help'], control, ['--import', controlHook]);
      expect(loadedNetworkModules(control)).toContain('NativeModule https');
    },
  );
  it('with a terminal as stdin, Node loads net for the tty, and still no socket is opened', () => {
    const dir = tempDir();
    const request = importRequest([
      { keySpec: 'HMAC_256', validTo: new Date(Date.now() + 24 * 3600 * 1000) },
    ]);
    writeFileSync(join(dir, 'request.json'), JSON.stringify(request));
    const hook = moduleListHook(dir);
    // `script` gives the command a pseudo-terminal, as an operator's shell does.
    const trace = traceNetwork(
      process.execPath,
      ['--import', hook, CLI, 'inspect', '--request', 'request.json'],
      { cwd: dir, tty: true },
    );
    expect(trace.code).toBe(0);
    // inspect shows the request (its key) and never its check code.
    expect(trace.stdout).toContain(request.targets[0]!.keyArn);
    expect(trace.stdout).not.toContain(checkCodeOf(bundleDigest(request)));
    expect(fact<boolean>(dir, 'stdinIsTerminal')).toBe(true);
    // Node's tty.ReadStream is a net.Socket over the terminal's file descriptor: net is loaded,
    // and nothing that speaks to a network is.
    expect(loadedNetworkModules(dir)).toEqual(['NativeModule net']);
    expect(fact<string[]>(dir, 'modules')).toContain('NativeModule tty');
    expect(fact<string[]>(dir, 'globals')).toEqual([]);
    expect(trace.internetCalls).toEqual([]);
    expect(trace.families).toEqual([]);
  });
});
