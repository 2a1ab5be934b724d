import type { Argv } from 'yargs';
import type { CliDeps } from '@byok-ceremony/node-io';
import { coreDumpState, describeCoreDumpState } from '../io/core-dumps.js';
import { runSelfTest, selfTestError } from '../ops/self-test/run-self-test.js';

/** `self-test`: the known-answer tests that wrap runs first, on their own, with every result shown. */
export function selfTestCommand(cli: Argv, deps: CliDeps): Argv {
  return cli.command(
    'self-test',
    "Run the known-answer tests of this machine's cryptography (wrap runs them first)",
    (y) =>
      y.option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print one JSON object on stdout',
      }),
    async (argv) => {
      const report = await runSelfTest();
      const coreDumps = coreDumpState();
      if (argv.json) {
        deps.stdout(`${JSON.stringify({ ...report, coreDumps })}\n`);
      } else {
        const lines = report.results.flatMap((r) => [
          `${r.failures.length === 0 ? 'ok  ' : 'FAIL'}  ${r.family} (${r.checks} checks)`,
          ...r.failures.map((f) => `      ${f}`),
        ]);
        const checks = report.results.reduce((n, r) => n + r.checks, 0);
        if (report.passed)
          lines.push(`Self-test passed: ${report.results.length} families, ${checks} checks.`);
        lines.push(describeCoreDumpState(coreDumps));
        deps.stdout(`${lines.join('\n')}\n`);
      }
      if (!report.passed) throw selfTestError(report);
    },
  );
}
