import {
  ByokError,
  isSameKeyOrReplica,
  type ImportRequestBundle,
  type MaterialSet,
  type MaterialSetGroup,
} from '@byok-ceremony/shared';

/**
 * Which group of a material set each material group of a (new) request gets: the set group
 * whose key ARNs name every target of the request group, or a multi-Region replica of one of
 * them, with the same key spec. Every request group must find exactly one; set groups the
 * request does not name are left out (a re-import of some of the keys).
 */
export function matchMaterialSet(
  request: ImportRequestBundle,
  set: MaterialSet,
): Map<string, MaterialSetGroup> {
  const matched = new Map<string, MaterialSetGroup>();
  const requestGroups = [...new Set(request.targets.map((t) => t.materialGroup))];
  for (const name of requestGroups) {
    const targets = request.targets.filter((t) => t.materialGroup === name);
    const candidates = set.groups.filter((g) =>
      targets.every((t) => g.keyArns.some((arn) => isSameKeyOrReplica(arn, t.keyArn))),
    );
    if (candidates.length !== 1) {
      throw new ByokError(
        'ERR_BUNDLE_MISMATCH',
        candidates.length === 0
          ? `no material of the set (ceremony ${set.ceremonyId}) is for ${targets.map((t) => t.keyArn).join(', ')}`
          : `${candidates.length} materials of the set name ${targets[0]!.keyArn}`,
        {
          hint: "Prepare the new request for the keys (or their multi-Region replicas) the backup was made for; inspect shows the set's keys.",
        },
      );
    }
    const group = candidates[0]!;
    if (group.keySpec !== targets[0]!.keySpec)
      throw new ByokError(
        'ERR_BUNDLE_MISMATCH',
        `${targets[0]!.keyArn} is ${targets[0]!.keySpec}, but the set's material for it is ${group.keySpec}`,
        { hint: 'The key was re-created with another key spec: this material cannot go into it.' },
      );
    matched.set(name, group);
  }
  return matched;
}
