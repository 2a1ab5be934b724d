import { randomBytes, randomUUID } from 'node:crypto';
import { isWrappingAlgorithm, isWrappingKeySpec } from '@byok-ceremony/shared';
import type { WrappingAlgorithm, WrappingKeySpec } from '@byok-ceremony/shared';
import { open, seal, SEALED_OVERHEAD_BYTES } from './secret-box.js';

export interface ImportTokenClaims {
  tokenId: string;
  keyArn: string;
  wrappingKeySpec: WrappingKeySpec;
  wrappingAlgorithm: WrappingAlgorithm;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
}

const TOKEN_MAGIC = Buffer.from('BKIT2', 'ascii');

/** Real import tokens are about 1–1.5 KB; a token of that size makes QR rehearsals show real frame counts. */
export const IMPORT_TOKEN_BYTES = 1206;

export function newTokenId(): string {
  return randomUUID();
}

/** An opaque token: AES-256-GCM under the simulator's token key of the claims. */
export function issueImportToken(tokenKey: Buffer, claims: ImportTokenClaims): Buffer {
  const json = Buffer.from(JSON.stringify(claims), 'utf8');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(json.length);
  const padding = Math.max(
    0,
    IMPORT_TOKEN_BYTES - TOKEN_MAGIC.length - SEALED_OVERHEAD_BYTES - 2 - json.length,
  );
  const body = Buffer.concat([length, json, randomBytes(padding)]);
  return Buffer.concat([TOKEN_MAGIC, seal(tokenKey, body, TOKEN_MAGIC)]);
}

/** The claims of a token this simulator issued, or undefined for anything else. */
export function readImportToken(tokenKey: Buffer, token: Buffer): ImportTokenClaims | undefined {
  if (
    token.length <= TOKEN_MAGIC.length ||
    !token.subarray(0, TOKEN_MAGIC.length).equals(TOKEN_MAGIC)
  ) {
    return undefined;
  }
  try {
    const body = open(tokenKey, token.subarray(TOKEN_MAGIC.length), TOKEN_MAGIC);
    const length = body.readUInt16BE(0);
    if (length + 2 > body.length) return undefined;
    const claims = JSON.parse(
      body.subarray(2, 2 + length).toString('utf8'),
    ) as Partial<ImportTokenClaims>;
    if (
      typeof claims.tokenId !== 'string' ||
      typeof claims.keyArn !== 'string' ||
      !isWrappingKeySpec(claims.wrappingKeySpec) ||
      !isWrappingAlgorithm(claims.wrappingAlgorithm) ||
      typeof claims.issuedAt !== 'number' ||
      typeof claims.expiresAt !== 'number'
    ) {
      return undefined;
    }
    return claims as ImportTokenClaims;
  } catch {
    return undefined;
  }
}
