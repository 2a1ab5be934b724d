import { ByokError } from '@byok-ceremony/shared';

/** A usage error in our words: the message and the hint the tool prints. */
interface Said {
  readonly message: string;
  readonly hint: string;
}

const flag = (name: string): string => (name.length === 1 ? `-${name}` : `--${name}`);
const flags = (list: string): string[] =>
  list
    .split(/,\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(flag);

/** `--a needs --b` for each failed implication, from yargs' ` a -> b c -> d` list. */
function implications(list: string, help: string): Said {
  const pairs = [...list.matchAll(/(\S+) -> (\S+)/g)].map((m) => [m[1]!, m[2]!] as const);
  const byFlag = new Map<string, string[]>();
  for (const [from, to] of pairs) byFlag.set(from, [...(byFlag.get(from) ?? []), flag(to)]);
  const needs = [...byFlag].map(([from, to]) => `${flag(from)} needs ${to.join(' and ')}`);
  return {
    message: needs.join('; '),
    hint: `Add ${[...new Set(pairs.map(([, to]) => flag(to)))].join(', ')}, or leave out ${[...byFlag.keys()].map(flag).join(', ')}. ${help}`,
  };
}

/** `--x "v" is not one of: A, B` for each value outside its choices. */
function invalidValues(list: string, help: string): Said {
  const lines = [...list.matchAll(/Argument: (\S+), Given: (.*), Choices: (.*)/g)].map(
    (m) => `${flag(m[1]!)} ${m[2]!} is not one of its choices: ${m[3]!.replaceAll('"', '')}`,
  );
  return { message: lines.join('; '), hint: `Give one of the values listed. ${help}` };
}

/** Each form yargs words a usage failure in (its English locale), said our way. */
const FORMS: readonly {
  readonly pattern: RegExp;
  readonly say: (m: RegExpExecArray, help: string) => Said;
}[] = [
  {
    pattern: /^(?:Implications failed|Missing dependent arguments):\s*([\s\S]*)$/,
    say: (m, help) => implications(m[1]!, help),
  },
  { pattern: /^Invalid values:\s*([\s\S]*)$/, say: (m, help) => invalidValues(m[1]!, help) },
  {
    pattern: /^Arguments (\S+) and (\S+) are mutually exclusive$/,
    say: (m, help) => ({
      message: `${flag(m[1]!)} cannot be combined with ${flag(m[2]!)}`,
      hint: `Give one of them, not both. ${help}`,
    }),
  },
  {
    pattern: /^Unknown arguments?: (.*)$/,
    say: (m, help) => ({
      message: `unknown option(s) or argument(s): ${m[1]!}`,
      hint: `Check the spelling. ${help}`,
    }),
  },
  {
    pattern: /^Unknown commands?: (.*)$/,
    say: (m, help) => ({ message: `unknown command: ${m[1]!}`, hint: help }),
  },
  {
    pattern: /^Missing required arguments?: (.*)$/,
    say: (m, help) => ({
      message: `missing ${flags(m[1]!).join(', ')}`,
      hint: `Give ${flags(m[1]!).join(' and ')}. ${help}`,
    }),
  },
  {
    pattern: /^Not enough arguments following: (\S+)$/,
    say: (m, help) => ({
      message: `${flag(m[1]!)} needs a value`,
      hint: `Write the value after ${flag(m[1]!)}. ${help}`,
    }),
  },
  {
    pattern: /^Not enough non-option arguments: got (\d+), need at least (\d+)$/,
    say: (m, help) => ({
      message: `${m[1]!} argument(s) given after the command, it needs at least ${m[2]!}`,
      hint: help,
    }),
  },
  {
    pattern: /^Too many non-option arguments: got (\d+), maximum of (\d+)$/,
    say: (m, help) => ({
      message: `${m[1]!} argument(s) given after the command, it takes at most ${m[2]!}`,
      hint: help,
    }),
  },
  {
    pattern: /^Did you mean (.*)\?$/,
    say: (m, help) => ({ message: `unknown command; did you mean ${m[1]!}?`, hint: help }),
  },
];

/**
 * The usage error for what yargs reported, in the tool's own words (`--original-record needs
 * --reimport`), never yargs' raw text; a message yargs did not word (our own demandCommand
 * texts) is kept as it is.
 */
export function usageErrorOf(yargsMessage: string | undefined, tool: string): ByokError {
  const help = `Run ${tool} --help, or ${tool} COMMAND --help for a command's options.`;
  const text = (yargsMessage ?? 'invalid command line').trim();
  for (const form of FORMS) {
    const m = form.pattern.exec(text);
    if (m !== null) {
      const { message, hint } = form.say(m, help);
      return new ByokError('ERR_USAGE', message, { hint });
    }
  }
  return new ByokError('ERR_USAGE', text, { hint: help });
}
