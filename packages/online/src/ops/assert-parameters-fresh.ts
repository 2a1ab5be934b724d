import { ByokError, type ImportRequestBundle } from '@byok-ceremony/shared';

/**
 * What to do once a request's import parameters expired: a new request for the same keys, and
 * the same material wrapped for it from its backup (new material would orphan the backups).
 */
export const PREPARE_AGAIN = (prepare: string): string =>
  `Prepare again (${prepare}; with --reimport for a key that held this material before) and recover the same material for the new request (byok-offline recover --shares ... or --age ..., or byok-offline wrap --material-file with the same file), then import the new request.`;

/** Refuses before any KMS call when a target's import parameters have passed their ParametersValidTo. */
export function assertParametersFresh(request: ImportRequestBundle, now: Date): void {
  const expired = request.targets.filter((t) => Date.parse(t.parametersValidTo) <= now.getTime());
  if (expired.length > 0) {
    throw new ByokError(
      'ERR_PARAMETERS_EXPIRED',
      `the import parameters expired for ${expired.length} key(s):\n${expired
        .map((t) => `${t.keyArn} (valid to ${t.parametersValidTo})`)
        .join('\n')}`,
      {
        hint: `Import parameters live 24 hours; nothing was sent to KMS, and --resume cannot bring them back. ${PREPARE_AGAIN(`byok-online prepare ${expired.map((t) => `--key-id ${t.keyArn}`).join(' ')} --out NEW_REQUEST`)}`,
        details: expired.map((t) => t.keyArn),
      },
    );
  }
}
