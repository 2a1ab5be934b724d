import { REQUEST_LABEL, rotationLabel } from '../audit-label.js';
import { materialsHeldAt } from '../materials-held.js';
import type { AuditKeyRecord } from '../record.js';
import type { LoggedEntry } from '../verify-chain.js';
import { where, type Report } from './report.js';

/** Keys of a prepare that take new material while holding material: a rotation's keys. */
function keysTakingNewMaterial(prepare: LoggedEntry): AuditKeyRecord[] {
  return prepare.entry.keys.filter(
    (k) => k.currentKeyMaterialId !== undefined && k.keyMaterialId === undefined,
  );
}

/**
 * An import of new material into keys that held material (a rotation, as its prepare recorded
 * the key's CurrentKeyMaterialId and named no material) must put a material on record that the
 * key did not have then, and rotate to it. An import that rotated any key (run with --rotate)
 * rotated every material group taking new material, each to the material it imported.
 */
export function checkNewMaterialImports(online: readonly LoggedEntry[], report: Report): void {
  const prepares = online.filter((e) => e.entry.command === 'prepare' && e.entry.outcome === 'ok');
  for (const i of online) {
    if (i.entry.command !== 'import' || i.entry.outcome !== 'ok') continue;
    const request = i.entry.inputs[REQUEST_LABEL];
    const p = prepares.find(
      (x) => request !== undefined && x.entry.outputs[REQUEST_LABEL] === request,
    );
    if (p === undefined) continue;
    const rotating = keysTakingNewMaterial(p);
    // Every material the keys had by then, not only the current one: a "rotation" back to an
    // older material imports nothing new either.
    const held = materialsHeldAt(online, online.indexOf(p));
    const rotated = Object.keys(i.entry.outputs).some((label) =>
      label.startsWith(rotationLabel('')),
    );
    const groupsRotated = new Set<string>();
    for (const before of rotating) {
      if (before.keyArn === null) continue; // prepare names every key; only wrap raw has none
      const old = held.get(before.keyArn) ?? new Set<string>();
      const imported = i.entry.keys.find((k) => k.keyArn === before.keyArn)?.keyMaterialId;
      const rotation = i.entry.outputs[rotationLabel(before.keyArn)];
      for (const [what, id] of [
        ['as the material it imported', imported],
        ['as the material it rotated to', rotation],
      ] as const)
        if (id !== undefined && old.has(id))
          report(
            'error',
            'material-not-new',
            i,
            `${where(i)} records ${id} for ${before.keyArn} ${what}, but the key already had that material when the request was prepared (${p.file}:${p.line}): nothing new was imported`,
          );
      if (rotation === undefined) continue;
      if (before.materialGroup !== undefined) groupsRotated.add(before.materialGroup);
      if (imported !== undefined && rotation !== imported)
        report(
          'error',
          'rotation-missing',
          i,
          `${where(i)} records a rotation of ${before.keyArn} to ${rotation}, not to ${imported}, the material it imported`,
        );
    }
    if (!rotated) continue;
    for (const before of rotating) {
      const group = before.materialGroup;
      if (group === undefined || groupsRotated.has(group)) continue;
      groupsRotated.add(group);
      report(
        'error',
        'rotation-missing',
        i,
        `${where(i)} rotated keys (--rotate) but records no rotation of material group ${group} (${before.keyArn}), which took new material: it was not rotated, or its rotation is not on record`,
      );
    }
  }
}
