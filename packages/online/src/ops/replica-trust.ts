import type { KeyDescription } from '../kms/kms-port.js';
import { regionOfArn } from './key-region.js';

/** More replicas than AWS has Regions (one replica per Region) is no answer KMS gives. */
const MAX_REPLICAS = 48;

/** The ARN of the same key in another Region: only the Region field differs. */
export function arnInRegion(arn: string, region: string): string {
  return arn.replace(/^(arn:aws[a-z-]*:kms:)[a-z0-9-]+(:)/, `$1${region}$2`);
}

/**
 * Why the replica list of a primary's DescribeKey cannot be KMS's answer, before any replica is
 * asked: a replica is the primary's ARN with only the Region changed (same partition, account
 * and mrk- id), one per Region, none in the primary's own Region.
 */
export function replicaListProblem(primary: KeyDescription): string | undefined {
  const arns = primary.replicaKeyArns;
  if (arns.length > MAX_REPLICAS)
    return `DescribeKey lists ${arns.length} replicas; KMS keeps at most one per Region (more than ${MAX_REPLICAS} is no answer KMS gives)`;
  const primaryRegion = regionOfArn(primary.arn);
  const regions = new Set<string>();
  for (const arn of arns) {
    const region = regionOfArn(arn);
    if (region === undefined || arnInRegion(primary.arn, region) !== arn)
      return `listed replica ${arn} is not this key in another Region (a replica has the primary's partition, account and key id): its wrapping key must not take the material`;
    if (region === primaryRegion)
      return `listed replica ${arn} is in the primary's own Region ${region}`;
    if (regions.has(region)) return `two listed replicas in Region ${region}`;
    regions.add(region);
  }
  return undefined;
}

/** Why a listed replica's own DescribeKey does not describe a replica of this primary. */
export function replicaDescriptionProblem(
  primary: KeyDescription,
  listedArn: string,
  replica: KeyDescription,
): string | undefined {
  if (replica.arn !== listedArn)
    return `listed replica ${listedArn} is described as ${replica.arn}`;
  if (replica.multiRegionKeyType !== 'REPLICA' || replica.primaryKeyArn !== primary.arn)
    return `listed replica ${listedArn} does not describe itself as a replica of ${primary.arn} (it says ${replica.multiRegionKeyType ?? 'not multi-Region'}, primary ${replica.primaryKeyArn ?? 'none'})`;
  return undefined;
}
