import { resolve } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';

const usage = (message: string, hint: string): ByokError =>
  new ByokError('ERR_USAGE', message, { hint });

/**
 * `import --scan IMAGE|DIR ...` (repeatable, several values each), as absolute paths, or
 * undefined without it; refused with --wrapped or raw mode before any file is opened.
 */
export function scanImagesOf(
  args: Readonly<Record<string, unknown>>,
  cwd: string,
  rawFlags: readonly string[],
): { readonly scan: readonly string[] } | undefined {
  const value = args['scan'];
  if (value === undefined) return undefined;
  if (args['wrapped'] !== undefined)
    throw usage(
      '--scan cannot be used with --wrapped',
      'Read the wrapped bundle either from its file (--wrapped wrapped.json) or from QR images (--scan DIR), not both.',
    );
  const raw = rawFlags.find((flag) => args[flag] !== undefined);
  if (raw !== undefined)
    throw usage(
      `--scan cannot be used with --${raw}`,
      'QR images carry a wrapped-key bundle: use --request request.json --scan DIR; raw mode reads files only.',
    );
  const images = (Array.isArray(value) ? (value as unknown[]) : [value]).filter(
    (image) => image !== '',
  );
  if (images.length === 0 || images.some((image) => typeof image !== 'string'))
    throw usage(
      '--scan needs images',
      'Name PNG or JPEG files, or folders of them: --scan wrapped-qr/ (the frames byok-offline wrap --qr wrote, or camera stills).',
    );
  return { scan: (images as string[]).map((image) => resolve(cwd, image)) };
}
