import { ByokError } from '../errors.js';
import { PLAN_MAX_BYTES } from './plan-types.js';

/**
 * A plan file's text as plain data: YAML 1.2 (JSON is YAML too), read strictly. A key given twice,
 * a second document, an anchor, an alias or an explicit tag, and anything the parser only warns
 * about, is refused, so that every reader of the file (a reviewer, both tools) sees one plain
 * document. The core schema keeps `yes`, `no` and dates as the strings they look like; typing
 * each field is checkPlan's job. The YAML parser (about 160 kB) is loaded here, on first use:
 * only the commands that read a plan need it, and every other command started faster without it.
 */
export async function parsePlanText(text: string, path: string): Promise<unknown> {
  if (text.length > PLAN_MAX_BYTES)
    throw new ByokError(
      'ERR_BUNDLE_INVALID',
      `the plan ${path} is larger than ${PLAN_MAX_BYTES} bytes`,
      { hint: 'Check that this is the ceremony plan (docs/plan-format.md).' },
    );
  const yaml = await import('yaml');
  // yaml's Node build is CommonJS: in the CLI bundles its import() has only the default export
  // (module.exports); unbundled, Node gives the named exports as well.
  const { parseDocument, visit } = (yaml.default as typeof yaml | undefined) ?? yaml;
  const document = parseDocument(text, {
    schema: 'core',
    strict: true,
    uniqueKeys: true,
    merge: false,
    prettyErrors: true,
  });
  const problems = [...document.errors, ...document.warnings].map(firstLineOf);
  visit(document, {
    Alias: () => void problems.push('an alias (*) is not allowed in a plan'),
    Node: (_, node) => {
      if (node.anchor !== undefined)
        problems.push(`an anchor (&${node.anchor}) is not allowed in a plan`);
      if (node.tag !== undefined) problems.push(`a tag (${node.tag}) is not allowed in a plan`);
    },
  });
  if (problems.length > 0) throw notPlainYaml(path, problems);
  return document.toJS({ maxAliasCount: 0 }) as unknown;
}

function firstLineOf(error: Error): string {
  return error.message.split('\n')[0] ?? error.message;
}

function notPlainYaml(path: string, problems: readonly string[]): ByokError {
  const listed = problems.slice(0, 20);
  return new ByokError(
    'ERR_BUNDLE_INVALID',
    `the plan ${path} is not plain YAML or JSON (${problems.length} problem(s)):\n${listed.map((p) => `  ${p}`).join('\n')}`,
    {
      hint: 'Fix each line named: one document of mappings, lists and scalars, without anchors, aliases or tags (docs/plan-format.md).',
      details: listed,
    },
  );
}
