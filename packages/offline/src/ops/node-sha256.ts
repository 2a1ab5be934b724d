import { createHash } from 'node:crypto';
import type { Sha256 } from '@byok-ceremony/shared';

/** node:crypto's SHA-256 (OpenSSL), for the shared formats that hash secret bytes. */
export const nodeSha256: Sha256 = (data) => createHash('sha256').update(data).digest();
