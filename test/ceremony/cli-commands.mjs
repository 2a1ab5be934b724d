// Every command of both CLIs, found by walking their --help pages: the ceremony matrix holds its
// rows to this list (packages/online/test/ceremony-matrix/), so a command added to a CLI shows up
// there without editing any list. The test setup walks once per run (test/global-setup.ts).
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The commands one --help page lists under `Commands:`, as `TOOL PATH`: `byok-online import raw`
 * from `  byok-online import raw  Import one raw …`; positionals (`<logs..>`, `[images..]`) dropped.
 */
export function listedCommands(tool, help) {
  const section = /(?:^|\n)Commands:\n([\s\S]*?)(?:\n\n|$)/.exec(help)?.[1] ?? '';
  const commands = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith(`  ${tool} `)) continue; // a wrapped description line
    const usage = line.trim().split(/\s{2,}/)[0];
    commands.push(
      usage
        .split(' ')
        .filter((word) => !/^[<[]/.test(word))
        .join(' '),
    );
  }
  return commands;
}

/** Every command and subcommand of a CLI, by walking its --help pages from the top. */
export async function cliCommands(tool, help) {
  const found = [];
  const pending = [[]];
  for (let path = pending.shift(); path !== undefined; path = pending.shift()) {
    for (const command of listedCommands(tool, await help([...path, '--help']))) {
      if (found.includes(command)) continue;
      found.push(command);
      pending.push(command.split(' ').slice(1));
    }
  }
  return found;
}

/** --help of `tool` through its built main(argv, deps) (dist/cli/run.js), in this process. */
async function helpThroughMain(root, pkg, tool) {
  const { main } = await import(pathToFileURL(join(root, 'packages', pkg, 'dist/cli/run.js')).href);
  return async (argv) => {
    let stdout = '';
    let stderr = '';
    const stdin = new PassThrough();
    stdin.end();
    const code = await main(argv, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      stdin,
      interactive: false,
      now: () => new Date(),
      env: { PATH: process.env.PATH, HOME: tmpdir() },
      cwd: tmpdir(),
      sleep: () => Promise.resolve(),
    });
    if (code !== 0) throw new Error(`${tool} ${argv.join(' ')} exited ${code}: ${stderr}`);
    return stdout;
  };
}

/** Both CLIs' commands, as `TOOL PATH`, from the built CLIs under `root`. */
export async function commandsOfBuiltClis(root) {
  return [
    ...(await cliCommands('byok-online', await helpThroughMain(root, 'online', 'byok-online'))),
    ...(await cliCommands('byok-offline', await helpThroughMain(root, 'offline', 'byok-offline'))),
  ];
}

// Run as a script (by the test setup, so that the help is laid out for a pipe, as the CLIs'
// own tests see it, not for the width of whichever terminal started vitest): the list as JSON.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(JSON.stringify(await commandsOfBuiltClis(process.argv[2])));
}
