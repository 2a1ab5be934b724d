import { KmsError } from '../../errors.js';

/** KMS-style paging over a list: Marker is an opaque position, Limit defaults to 100. */
export function page<T>(items: T[], limit: number | undefined, marker: string | undefined) {
  let start = 0;
  if (marker !== undefined) {
    start = Number.parseInt(Buffer.from(marker, 'base64url').toString('utf8'), 10);
    if (!Number.isInteger(start) || start < 0 || start > items.length) {
      throw new KmsError('InvalidMarkerException', 'The marker is invalid.');
    }
  }
  const end = Math.min(items.length, start + (limit ?? 100));
  const truncated = end < items.length;
  return {
    items: items.slice(start, end),
    truncated,
    ...(truncated ? { nextMarker: Buffer.from(String(end), 'utf8').toString('base64url') } : {}),
  };
}
