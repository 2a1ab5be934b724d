/** What one ceremony command puts on record. Never a secret: only digests, codes, ids and names. */
export interface AuditKeyRecord {
  /** Null where the command cannot know the key: wrap raw reads only a public key. */
  readonly keyArn: string | null;
  /**
   * The alias the key was named by: create-key --alias, or prepare's --key-id when it was an
   * alias (alias/NAME or an alias ARN), or the plan's alias of a primary key (prepare --plan; not
   * on replicas: an alias is per Region). What the room calls the key; the ARN is what KMS does.
   */
  readonly alias?: string;
  readonly keySpec?: string;
  readonly materialGroup?: string;
  readonly wrappingKeyFingerprint?: string;
  readonly parametersValidTo?: string;
  readonly kcv?: string;
  readonly keyMaterialId?: string;
  /**
   * prepare: the key's CurrentKeyMaterialId when the request was prepared, so that what an import
   * of new material claims can be told apart from the material the key already had.
   */
  readonly currentKeyMaterialId?: string;
  readonly keyState?: string;
  readonly proof?: 'hmac' | 'public-key' | 'kcv-only';
  /** prepare --plan: what this command created of the key, in order. */
  readonly created?: readonly ('key' | 'alias' | 'replica')[];
}

/** The ceremony plan a command ran from: its digest (whose code the sign-off sheet carries) and name. */
export interface AuditPlanRecord {
  readonly name: string;
  /** The plan's digest (docs/plan-format.md), hex. */
  readonly digest: string;
}

export interface AuditError {
  readonly code: string;
  readonly message: string;
}

/** One operator's confirmation of an entry: an Ed25519 signature over auditSignaturePayload(entry). */
export interface AuditSignature {
  readonly operator: string;
  /** The operator's Ed25519 public key, DER SubjectPublicKeyInfo, base64. */
  readonly publicKey: string;
  /** Ed25519 signature, base64. */
  readonly signature: string;
}

/** The KMS a byok-online command talked to. */
export interface AuditKmsRecord {
  /** The endpoint URL from --endpoint-url or the environment; null for the SDK's AWS default. */
  readonly endpoint: string | null;
  readonly region: string;
  /** The accounts of the command's keys, from their ARNs, sorted; empty when no key is known. */
  readonly accounts: readonly string[];
}

/**
 * What a wrap did with backups of its material: the schemes, the labels of the shares and the
 * SHA-256 of each backup file written. Never a share, a passphrase or material.
 */
export interface AuditBackupRecord {
  /** `shamir:M-of-N`, `age:RECIPIENT`, `age:passphrase` when made; `recover:shamir`, `recover:age`, `material-set`, `components:N` when material came from one. */
  readonly schemes: readonly string[];
  /** SHA-256 of the material set (docs/backup-format.md), or null when no set was involved. */
  readonly setDigest: string | null;
  /** The split-id of the Shamir shares made or used, or null. */
  readonly splitId: string | null;
  /**
   * Labels of the shares written or combined, each with the SHA-256 of its share file's text
   * (the bytes of `share-I-of-N.txt`, also what the share page's QR codes rebuild); entries
   * written before the digest was recorded have none.
   */
  readonly shares: readonly {
    readonly index: number;
    readonly count: number;
    readonly threshold: number;
    readonly sha256?: string;
  }[];
  /** Backup files written: name in --backup-dir and SHA-256 of the bytes. */
  readonly files: readonly { readonly name: string; readonly sha256: string }[];
  /** The material groups covered, with their KCVs. */
  readonly covers: readonly {
    readonly materialGroup: string;
    readonly keySpec: string;
    readonly kcv: string;
  }[];
}

/**
 * wrap --hsm and recover --hsm: the PKCS#11 token that holds the material, as its CK_TOKEN_INFO
 * names it, and the token objects each material group is (never a PIN, never a key value).
 */
export interface AuditHsmRecord {
  readonly token: {
    readonly label: string;
    readonly serial: string;
    readonly manufacturer: string;
    readonly model: string;
  };
  readonly objects: readonly {
    readonly materialGroup: string;
    /** CKA_LABEL: the ceremony id and the key ARN the object was generated for. */
    readonly label: string;
    /** CKA_ID, lowercase hex. */
    readonly id: string;
  }[];
}

export interface AuditRecord {
  /** The command, e.g. `prepare`, `wrap`, `import`, `create-key`. */
  readonly command: string;
  readonly operators: readonly string[];
  /** Departures from the two-person ceremony, e.g. `single-operator`. */
  readonly exceptions: readonly string[];
  /** Label → SHA-256 hex of every file or bundle read. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Label → SHA-256 hex of every file or bundle written. */
  readonly outputs: Readonly<Record<string, string>>;
  /** Label → check code shown or confirmed, e.g. `request`, `wrapped`. */
  readonly checkCodes: Readonly<Record<string, string>>;
  readonly keys: readonly AuditKeyRecord[];
  readonly kmsRequestIds: readonly string[];
  /** The other machine's log head, as carried by the bundle this command read. */
  readonly peerLogHead: string | null;
  readonly outcome: 'ok' | 'error';
  readonly error: AuditError | null;
  /** byok-online commands that opened a KMS client: where its calls went. */
  readonly kms?: AuditKmsRecord;
  /** wrap and recover: the backups made, or the backup the material came from. */
  readonly backup?: AuditBackupRecord;
  /** A plan-driven command: the plan it ran (docs/plan-format.md). */
  readonly plan?: AuditPlanRecord;
  /** wrap --hsm and recover --hsm: the token and its objects. */
  readonly hsm?: AuditHsmRecord;
  /** Present when operators hold operator keys: their signed confirmations of this entry. */
  readonly signatures?: readonly AuditSignature[];
}

export interface AuditEntry extends AuditRecord {
  /** 0 for the log's first entry. */
  readonly seq: number;
  /** entryHash of the previous line, null on the first. */
  readonly prev: string | null;
  readonly time: string;
  readonly tool: string;
  readonly toolVersion: string;
}
