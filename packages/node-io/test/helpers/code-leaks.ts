import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Lower case, letters and digits only: every spelling of a code (dashes, spaces, case) becomes one. */
const squeeze = (text: string): string => text.toLowerCase().replace(/[^0-9a-z]/g, '');

/**
 * Where a bundle's check code or digest shows in `text`, in any spelling: with or without
 * dashes or spaces, any case; the digest also as its first 20 hex digits.
 */
export function codeLeaksInText(text: string, checkCode: string, digestHex: string): string[] {
  const found: string[] = [];
  const squeezed = squeeze(text);
  if (squeezed.includes(squeeze(checkCode))) found.push('check code');
  if (squeezed.includes(squeeze(digestHex).slice(0, 20))) found.push('digest');
  return found;
}

/**
 * Every file (and file name) under `dir` that carries the check code or digest in any spelling,
 * or the digest's raw bytes or base64.
 */
export function codeLeaksInFolder(dir: string, checkCode: string, digestHex: string): string[] {
  const digest = Buffer.from(digestHex, 'hex');
  const leaks: string[] = [];
  const visit = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        visit(path);
        continue;
      }
      const bytes = readFileSync(path);
      const what = [
        ...codeLeaksInText(`${name}\n${bytes.toString('latin1')}`, checkCode, digestHex),
        ...(bytes.includes(digest) ? ['raw digest'] : []),
        ...(bytes.toString('latin1').includes(digest.toString('base64').slice(0, 24))
          ? ['base64 digest']
          : []),
      ];
      for (const w of what) leaks.push(`${path}: ${w}`);
    }
  };
  visit(dir);
  return leaks;
}
