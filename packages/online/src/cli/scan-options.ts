import { resolve } from 'node:path';
import { ByokError } from '@byok-ceremony/shared';

const usage = (message: string, hint: string): ByokError =>
  new ByokError('ERR_USAGE', message, { hint });

/**
 * `import --scan IMAGE|DIR ...` (repeatable, several values each), as absolute paths, or
 * undefined without it (yargs refuses it with --wrapped or raw mode).
 */
export function scanImagesOf(
  args: Readonly<Record<string, unknown>>,
  cwd: string,
): { readonly scan: readonly string[] } | undefined {
  const value = args['scan'];
  if (value === undefined) return undefined;
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
