import type { LoadedPlan } from '../io/read-plan-file.js';

/**
 * What a command shows of the plan it runs from: the name and the plan code, which the witness
 * compares with the sign-off sheet, then the keys. Both tools print it the same way.
 */
export function planSummaryLines(loaded: LoadedPlan, withKeys: boolean): string[] {
  const { plan } = loaded;
  const lines = [
    `Plan ${plan.name}: ${plan.keys.length} key(s) in ${plan.account} ${plan.region}`,
    `Plan code: ${loaded.code}   (compare with the signed plan sheet)`,
  ];
  if (!withKeys) return lines;
  lines.push(
    `Operators: ${plan.operators.map((o) => `${o.name} (key ${o.operatorKey.slice(0, 16)}…)`).join(', ')}; witness ${plan.witness}`,
  );
  lines.push(`Material: ${materialText(loaded)}; backup: ${backupText(loaded)}`);
  for (const key of plan.keys) {
    const replicas =
      key.replicaRegions.length > 0 ? `, replicas in ${key.replicaRegions.join(', ')}` : '';
    const expiry = key.validTo === null ? 'does not expire' : `valid to ${key.validTo}`;
    lines.push(
      `  ${key.alias}  ${key.keySpec} ${key.keyUsage}${replicas}, ${expiry}${key.policyFile === null ? '' : `, policy ${key.policyFile}`}`,
    );
  }
  return lines;
}

function materialText({ plan }: LoadedPlan): string {
  const m = plan.material;
  if (m.source === 'components') return `components of ${m.custodians} custodians`;
  if (m.source === 'hsm')
    return `generated and kept in PKCS#11 token ${m.token} (serial ${m.serial})`;
  return m.source;
}

function backupText({ plan }: LoadedPlan): string {
  if (plan.backup === 'none') return 'none';
  return plan.backup
    .map((b) =>
      b.kind === 'shamir'
        ? `Shamir ${b.threshold}-of-${b.shares}`
        : b.kind === 'age-passphrase'
          ? 'age (passphrase)'
          : `age to ${b.recipient.slice(0, 12)}…`,
    )
    .join(', ');
}
