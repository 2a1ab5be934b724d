import { randomUUID } from 'node:crypto';
import { isWrappingAlgorithm, isWrappingKeySpec } from '@byok-ceremony/shared';
import type { WrappingAlgorithm, WrappingKeySpec } from '@byok-ceremony/shared';
import { open, seal } from './secret-box.js';

export interface ImportTokenClaims {
  tokenId: string;
  keyArn: string;
  wrappingKeySpec: WrappingKeySpec;
  wrappingAlgorithm: WrappingAlgorithm;
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
}

const TOKEN_MAGIC = Buffer.from('BKIT1', 'ascii');

export function newTokenId(): string {
  return randomUUID();
}

/** An opaque token: AES-256-GCM under the simulator's token key of the claims. */
export function issueImportToken(tokenKey: Buffer, claims: ImportTokenClaims): Buffer {
  const body = Buffer.from(JSON.stringify(claims), 'utf8');
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
    const claims = JSON.parse(
      open(tokenKey, token.subarray(TOKEN_MAGIC.length), TOKEN_MAGIC).toString('utf8'),
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
