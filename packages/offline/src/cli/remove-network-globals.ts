/**
 * The globals through which code in Node reaches the network without importing a module
 * (undici's fetch family, and the WebSocket and EventSource of newer or flagged Node versions).
 */
export const NETWORK_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'WebSocket',
  'WebSocketStream',
  'EventSource',
  'XMLHttpRequest',
] as const;

// Runs before any other module of byok-offline loads: a dependency that reaches for fetch (as
// zxing-wasm would for its .wasm) finds nothing, instead of the network.
for (const name of NETWORK_GLOBALS) {
  Reflect.deleteProperty(globalThis, name);
  if (name in globalThis) {
    process.stderr.write(`byok-offline: error: cannot remove the network global ${name}\n`);
    process.exit(70);
  }
}
