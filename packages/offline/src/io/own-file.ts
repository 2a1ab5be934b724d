import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sha256ReadAloud } from '@byok-ceremony/shared';

/** Set by scripts/build-offline.mjs: which artifact this code was bundled into, if any. */
declare const BYOK_OFFLINE_BUILD: 'single-file' | 'sea' | undefined;

export type BuildKind = 'single-file' | 'sea' | 'development';

export interface OwnFile {
  readonly kind: BuildKind;
  /** What was hashed: the bundle, the executable, or the development build's entry file. */
  readonly path: string;
  readonly sha256: string;
  /** The first 24 hex digits in groups of four, the form sha256sum and cut give (docs/airgap.md). */
  readonly readAloud: string;
}

function buildKind(): BuildKind {
  return typeof BYOK_OFFLINE_BUILD === 'undefined' ? 'development' : BYOK_OFFLINE_BUILD;
}

function ownPath(kind: BuildKind): string {
  switch (kind) {
    // In the bundle, import.meta.url is the bundle itself.
    case 'single-file':
      return fileURLToPath(import.meta.url);
    case 'sea':
      return process.execPath;
    // The development build has many files; its entry stands for it (the others are not covered).
    case 'development':
      return fileURLToPath(new URL('../cli/main.js', import.meta.url));
  }
}

/**
 * The SHA-256 of the running tool's own file. A file that was altered computes this too, and can
 * print any value it likes: it shows accidental damage only, never tampering.
 */
export async function describeOwnFile(): Promise<OwnFile> {
  const kind = buildKind();
  const path = ownPath(kind);
  const sha256 = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  return { kind, path, sha256, readAloud: sha256ReadAloud(sha256) };
}
