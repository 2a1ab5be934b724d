import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import {
  ByokError,
  transcriptJson,
  transcriptSummaryLines,
  verifyAuditChain,
  verifyTranscript,
  verificationFailed,
  type PinnedOperatorKey,
  type TranscriptResult,
  type VerifyEd25519,
} from '@byok-ceremony/shared';
import { readOperatorPublicKey } from '@byok-ceremony/node-io';
import type { CliDeps } from './deps.js';
import { registerCommands } from './run.js';

const HEAD = /^[0-9a-f]{64}$/;

export const verifyEd25519: VerifyEd25519 = (publicKey, payload, signature) => {
  try {
    const key = createPublicKey({
      key: Buffer.from(publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    return (
      key.asymmetricKeyType === 'ed25519' &&
      verify(null, payload, key, Buffer.from(signature, 'base64'))
    );
  } catch {
    return false;
  }
};

async function readLog(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new ByokError(
      'ERR_INPUT_FILE',
      `cannot read the audit log ${shown}: ${(error as Error).message}`,
      {
        hint: 'Name each log file as written by byok-offline and byok-online (--audit-log).',
      },
    );
  }
}

/** Reads the logs and pinned keys and verifies them together; the caller prints the result. */
export async function verifyLogFiles(
  logs: readonly string[],
  pubkeyFiles: readonly string[],
  expectedHeads: readonly string[],
  cwd: string,
): Promise<TranscriptResult> {
  const bad = expectedHeads.find((h) => !HEAD.test(h));
  if (bad !== undefined) {
    throw new ByokError('ERR_USAGE', `--expect-head ${JSON.stringify(bad)} is not a log head`, {
      hint: 'A log head is 64 lowercase hex digits, as audit verify and the report print it.',
    });
  }
  const pinned: PinnedOperatorKey[] = [];
  for (const file of pubkeyFiles) {
    const key = await readOperatorPublicKey(resolve(cwd, file));
    pinned.push({ operator: key.name, publicKey: key.publicKey, source: file });
  }
  const chains = [];
  for (const log of logs) chains.push(verifyAuditChain(log, await readLog(resolve(cwd, log), log)));
  return verifyTranscript(chains, { verifyEd25519, pinnedKeys: pinned, expectedHeads });
}

/** Each log's head (the hash of its last line), for the paper record; nothing is verified. */
export async function logHeads(
  logs: readonly string[],
  cwd: string,
): Promise<{ file: string; tool: string | null; lineCount: number; head: string }[]> {
  const heads = [];
  for (const log of logs) {
    const chain = verifyAuditChain(log, await readLog(resolve(cwd, log), log));
    if (chain.head === null)
      throw new ByokError('ERR_AUDIT_LOG', `the audit log ${log} has no entries`, {
        hint: 'Name the log file the ceremony commands wrote (--audit-log).',
      });
    heads.push({ file: log, tool: chain.tool, lineCount: chain.lineCount, head: chain.head });
  }
  return heads;
}

/** `audit verify LOG...`: the chains, signatures, two-person rule, interlock and completion. */
export function auditCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command('audit', 'Check the ceremony audit logs', (y) =>
    y
      .command(
        'verify <logs..>',
        'Verify one or both audit logs (offline and online) as one transcript',
        (v) =>
          v
            .positional('logs', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Audit log files',
            })
            .option('operator-pubkey', {
              type: 'string',
              array: true,
              default: [] as string[],
              describe: "An operator's public key file: that operator's signatures must use it",
            })
            .option('expect-head', {
              type: 'string',
              array: true,
              default: [] as string[],
              describe: 'A log head from the paper record; some log must end there',
            })
            .option('json', {
              type: 'boolean',
              default: false,
              describe: 'Print one JSON object on stdout',
            }),
        async (argv) => {
          const result = await verifyLogFiles(
            argv.logs,
            argv['operator-pubkey'],
            argv['expect-head'],
            deps.cwd,
          );
          if (argv.json) deps.stdout(`${JSON.stringify(transcriptJson(result))}\n`);
          else
            deps.stdout(
              transcriptSummaryLines(result)
                .map((l) => `${l}\n`)
                .join(''),
            );
          if (!result.ok) throw verificationFailed(result);
        },
      )
      .command(
        'head <logs..>',
        "Print each log's head (the hash of its last line) to write on the paper record",
        (v) =>
          v
            .positional('logs', {
              type: 'string',
              array: true,
              demandOption: true,
              describe: 'Audit log files',
            })
            .option('json', {
              type: 'boolean',
              default: false,
              describe: 'Print one JSON object on stdout',
            }),
        async (argv) => {
          const logs = await logHeads(argv.logs, deps.cwd);
          deps.stdout(
            argv.json
              ? `${JSON.stringify({ logs })}\n`
              : logs
                  .map(
                    (l) =>
                      `${l.file}: head ${l.head} (${l.lineCount} line(s), ${l.tool ?? 'unknown'})\n`,
                  )
                  .join(''),
          );
        },
      )
      .demandCommand(1, 'Name an audit command: verify or head.'),
  );
}

registerCommands(auditCommand);
