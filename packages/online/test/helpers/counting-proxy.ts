import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request held at the proxy until the test releases it. */
export interface HeldRequest {
  /** Resolves once the held request has arrived. */
  readonly arrived: Promise<void>;
  release(): void;
}

export interface CountingProxy {
  readonly url: string;
  /** The X-Amz-Target operation of every request that reached the proxy, in order. */
  readonly operations: string[];
  /** Holds the nth (1-based) request for `operation` until released. */
  hold(operation: string, nth: number): HeldRequest;
  /** Answers the nth (1-based) request for `operation` with a KMS error of `type`, unforwarded. */
  refuse(operation: string, nth: number, type: string): void;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

/**
 * An HTTP proxy in front of the simulator that records each KMS operation it forwards: the
 * independent witness that a command made no KMS request at all. Headers (Host included) pass
 * unchanged, so SigV4 signatures still verify.
 */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const operations: string[] = [];
  const holds: { operation: string; nth: number; arrive: () => void; released: Promise<void> }[] =
    [];
  const refusals: { operation: string; nth: number; type: string }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const payload = await body(req);
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^TrentService\./, '');
      operations.push(operation);
      const count = operations.filter((o) => o === operation).length;
      const held = holds.find((h) => h.operation === operation && h.nth === count);
      if (held !== undefined) {
        holds.splice(holds.indexOf(held), 1);
        held.arrive();
        await held.released;
      }
      const refused = refusals.find((r) => r.operation === operation && r.nth === count);
      if (refused !== undefined) {
        refusals.splice(refusals.indexOf(refused), 1);
        // KMS never saw it: nothing changed, as for a refusal by KMS.
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: refused.type, message: 'refused by the test proxy' }));
        return;
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(payload);
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    operations,
    hold(operation, nth) {
      let arrive = (): void => undefined;
      let release = (): void => undefined;
      const arrived = new Promise<void>((done) => (arrive = done));
      const released = new Promise<void>((done) => (release = done));
      holds.push({ operation, nth, arrive, released });
      return { arrived, release };
    },
    refuse(operation, nth, type) {
      refusals.push({ operation, nth, type });
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
