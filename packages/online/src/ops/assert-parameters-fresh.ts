import { ByokError, type ImportRequestBundle } from '@byok-ceremony/shared';

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
        hint: `Import parameters live 24 hours. Nothing was sent to KMS. Prepare again only these keys (byok-online prepare ${expired.map((t) => `--key-id ${t.keyArn}`).join(' ')} --out NEW_REQUEST), wrap again offline from the new request, then import it.`,
        details: expired.map((t) => t.keyArn),
      },
    );
  }
}
