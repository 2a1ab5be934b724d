import {
  decodeBase64,
  type KeySpec,
  type MaterialSource,
  type WrappedKeyBundle,
} from '@byok-ceremony/shared';

export interface WrappedSummary {
  readonly kind: 'wrapped-keys';
  readonly ceremonyId: string;
  readonly requestDigest: string;
  readonly createdAt: string;
  readonly operators: readonly string[];
  readonly auditLogHead: string | null;
  readonly materials: readonly {
    readonly materialGroup: string;
    readonly keySpec: KeySpec;
    readonly source: MaterialSource;
    readonly kcv: string;
    readonly proof: 'hmac' | 'public-key' | 'kcv-only';
  }[];
  readonly targets: readonly {
    readonly keyArn: string;
    readonly materialGroup: string;
    readonly wrappingKeyFingerprint: string;
    readonly encryptedKeyMaterialBytes: number;
  }[];
}

/** What an operator needs to see of a validated wrapped-key bundle: its content, never its code. */
export function describeWrapped(bundle: WrappedKeyBundle): WrappedSummary {
  return {
    kind: 'wrapped-keys',
    ceremonyId: bundle.ceremonyId,
    requestDigest: bundle.requestDigest,
    createdAt: bundle.createdAt,
    operators: bundle.operators,
    auditLogHead: bundle.auditLogHead,
    materials: bundle.materials.map((m) => ({
      materialGroup: m.materialGroup,
      keySpec: m.keySpec,
      source: m.source,
      kcv: m.kcv,
      proof: m.proof.kind,
    })),
    targets: bundle.targets.map((t) => ({
      keyArn: t.keyArn,
      materialGroup: t.materialGroup,
      wrappingKeyFingerprint: t.wrappingKeyFingerprint,
      encryptedKeyMaterialBytes: decodeBase64(t.encryptedKeyMaterial)?.length ?? 0,
    })),
  };
}
