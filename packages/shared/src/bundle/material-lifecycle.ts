import type { ImportRequestBundle, ImportTarget } from './types.js';

/** Material groups whose every target re-imports material KMS already knows: it must be the original. */
export function existingMaterialGroups(request: ImportRequestBundle): Map<string, string | null> {
  const groups = new Map<string, string | null>();
  const hasNew = new Set<string>();
  for (const t of request.targets) {
    if (t.importType !== 'EXISTING_KEY_MATERIAL') hasNew.add(t.materialGroup);
    else groups.set(t.materialGroup, t.expectedKcv ?? groups.get(t.materialGroup) ?? null);
  }
  for (const g of hasNew) groups.delete(g);
  return groups;
}

/** The KCV the request expects for a group's material, or undefined. */
export function expectedKcvOf(targets: readonly ImportTarget[], group: string): string | undefined {
  for (const t of targets)
    if (t.materialGroup === group && typeof t.expectedKcv === 'string') return t.expectedKcv;
  return undefined;
}
