/**
 * The material group of a plan key in the request, the wrapped bundle, the backups and the record:
 * its alias name without `alias/`, each `/` written `.` (a material group has no `/`; an alias in
 * a plan has no `.`, so no two aliases share a group). `alias/payments/data` → `payments.data`.
 */
export function planMaterialGroup(alias: string): string {
  return alias.slice('alias/'.length).replaceAll('/', '.');
}
