import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Rewrites the JSON body of one KMS operation's answer; other answers pass unchanged. */
export type AnswerRewrite = (operation: string, body: Record<string, unknown>) => void;

export interface RewritingProxy {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A hostile KMS endpoint: an HTTP proxy on 127.0.0.1 that forwards each request unchanged
 * (headers and signature included) to `upstream`, and rewrites the answers as `rewrite` says.
 */
export async function startRewritingProxy(
  upstream: string,
  rewrite: AnswerRewrite,
): Promise<RewritingProxy> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const forward = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (c: Buffer) => body.push(c));
          answer.on('end', () => {
            let text = Buffer.concat(body).toString('utf8');
            const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
            if (answer.statusCode === 200 && text.startsWith('{')) {
              const json = JSON.parse(text) as Record<string, unknown>;
              rewrite(operation, json);
              text = JSON.stringify(json);
            }
            const headers = { ...answer.headers };
            delete headers['content-length'];
            res.writeHead(answer.statusCode ?? 502, {
              ...headers,
              'content-length': Buffer.byteLength(text),
            });
            res.end(text);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
