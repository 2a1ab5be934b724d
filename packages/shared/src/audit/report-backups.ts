import type { AuditBackupRecord, AuditEntry } from './record.js';

/** One thing that goes into a tamper-evident bag: a share, the age file or a key component form. */
export interface ReportCustodyItem {
  /** As the custody table names it, e.g. `share 2 of 5 (share-2-of-5.txt and its page)`. */
  readonly item: string;
  /** SHA-256 of the file's bytes (a share's text, the age file), or null where none was recorded. */
  readonly sha256: string | null;
  /** A share's split-id, the one its text carries; null for other items. */
  readonly splitId: string | null;
}

/** What one step did with backups: made them (a wrap) or took the material from one (a recover). */
export interface ReportBackup {
  /** The step as the Steps section numbers it (1-based). */
  readonly step: number;
  readonly command: string;
  readonly made: boolean;
  /** The scheme as a sentence, e.g. `Shamir 3-of-5 over the material set; age to 2 recipients`. */
  readonly scheme: string;
  readonly splitId: string | null;
  readonly setDigest: string | null;
  /** `GROUP SPEC KCV XXXXXX`, one per material group the backup holds. */
  readonly covers: readonly string[];
  /** One custody row each: every share, then the age file. Empty for a backup only used. */
  readonly items: readonly ReportCustodyItem[];
}

/** Shown when no step recorded its backups (logs of earlier versions), so the bags still have rows. */
export const GENERIC_BACKUP_ITEMS = ['Backup media, copy 1', 'Backup media, copy 2'];

export const CUSTODY_ITEMS = [
  'USB stick',
  'Operator key media (operator 1)',
  'Operator key media (operator 2)',
  'Offline machine',
];

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The schemes of an entry as one sentence, the way the runbook names them. */
export function backupSchemeSentence(backup: AuditBackupRecord): string {
  const parts: string[] = [];
  const recipients = backup.schemes.filter((s) => /^age:age1/.test(s)).length;
  for (const scheme of backup.schemes) {
    const shamir = /^shamir:(\d+)-of-(\d+)$/.exec(scheme);
    const components = /^components:(\d+)$/.exec(scheme);
    if (shamir !== null) parts.push(`Shamir ${shamir[1]}-of-${shamir[2]} over the material set`);
    else if (scheme === 'age:passphrase') parts.push('age with a passphrase');
    else if (scheme === 'recover:shamir') {
      const first = backup.shares[0];
      const indexes = backup.shares.map((s) => s.index).join(', ');
      parts.push(
        first === undefined
          ? 'recovered from Shamir shares'
          : `recovered from Shamir shares ${indexes} of ${first.count} (threshold ${first.threshold})`,
      );
    } else if (scheme === 'recover:age') parts.push('recovered from the age file');
    else if (scheme === 'material-set') parts.push('loaded from a material set file');
    else if (components !== null)
      parts.push(`split into ${components[1]} key components (XOR), one per custodian`);
  }
  if (recipients > 0) parts.push(`age to ${plural(recipients, 'recipient', 'recipients')}`);
  return parts.join('; ');
}

/** Rows for the custody table: one per share (with its page), then one per age file. */
function custodyItems(backup: AuditBackupRecord): ReportCustodyItem[] {
  const fileDigest = (name: string): string | null =>
    backup.files.find((f) => f.name === name)?.sha256 ?? null;
  const shares = backup.shares.map((s) => {
    const name = `share-${s.index}-of-${s.count}.txt`;
    const page = fileDigest(name.replace(/\.txt$/, '.html')) === null ? '' : ' and its page';
    return {
      item: `share ${s.index} of ${s.count} (${name}${page})`,
      sha256: s.sha256 ?? fileDigest(name),
      splitId: backup.splitId,
    };
  });
  const recipients = backup.schemes.filter((s) => /^age:age1/.test(s)).length;
  const ageFiles = backup.files
    .filter((f) => f.name.endsWith('.age'))
    .map((f) => ({
      item: `age file ${f.name} (${recipients > 0 ? `to ${plural(recipients, 'recipient', 'recipients')}` : 'passphrase'})`,
      sha256: f.sha256,
      splitId: null,
    }));
  // components new: each custodian's form, component-GROUP-I-of-N.txt.
  const components = backup.files
    .filter((f) => /^component-.+\.txt$/.test(f.name))
    .map((f) => ({ item: `key component ${f.name}`, sha256: f.sha256, splitId: null }));
  return [...shares, ...ageFiles, ...components];
}

/** Every backup the successful steps made or recovered from, in step order. */
export function reportBackups(entries: readonly AuditEntry[]): ReportBackup[] {
  return entries.flatMap((entry, i) => {
    const backup = entry.backup;
    if (entry.outcome !== 'ok' || backup === undefined) return [];
    const made = backup.schemes.some((s) => /^(shamir|age|components):/.test(s));
    return [
      {
        step: i + 1,
        command: entry.command,
        made,
        scheme: backupSchemeSentence(backup),
        splitId: backup.splitId,
        setDigest: backup.setDigest,
        covers: backup.covers.map((c) => `${c.materialGroup} ${c.keySpec} KCV ${c.kcv}`),
        items: made ? custodyItems(backup) : [],
      },
    ];
  });
}
