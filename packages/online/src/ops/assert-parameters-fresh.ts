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
        hint: 'Import parameters live 24 hours: run byok-online prepare again, wrap again offline from the new request, then import.',
        details: expired.map((t) => t.keyArn),
      },
    );
  }
}
