import { decodeHex, encodeHex } from '../encoding/hex.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { ByokError } from '../errors.js';
import { KEY_SPECS, KEY_SPEC_RULES, type KeySpec } from '../kms/rules.js';
import { KCV, MATERIAL_GROUP, UUID } from '../validation/field-checker.js';
import type { Sha256 } from './share-file.js';

export const COMPONENT_FILE_HEADER = 'byok-ceremony key component v1';
export const COMPONENT_FILE_MAX_CHARS = 4096;
const CHECK_BYTES = 8;
const CHECK_CONTEXT = 'byok-ceremony component check v1\n';

/** One custodian's XOR component of one key's material (NIST SP 800-133 Rev. 2, 6.3). */
export interface ComponentFile {
  readonly ceremonyId: string;
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly index: number;
  readonly count: number;
  /** KCV of the component taken as a key of the spec: lets its custodian check it alone. */
  readonly componentKcv: string;
  /** KCV of the combined key, the same on every component of the key. */
  readonly keyKcv: string;
  readonly component: Uint8Array;
}

function invalid(message: string): ByokError {
  return new ByokError('ERR_COMPONENT_INVALID', message, {
    hint: 'Give the component exactly as components new wrote it; a component typed in is hex, spaces allowed.',
  });
}

/** Key specs whose material is raw bytes, so XOR components make sense; private keys are not. */
export function componentBytesProblem(keySpec: KeySpec, length: number): string | undefined {
  const rule = KEY_SPEC_RULES[keySpec].material;
  if (rule?.kind === 'symmetric')
    return length === rule.bytes
      ? undefined
      : `${keySpec} components are ${rule.bytes} bytes (${rule.bytes * 2} hex digits), got ${length}`;
  if (rule?.kind === 'hmac')
    return length >= rule.minBytes && length <= rule.maxBytes
      ? undefined
      : `${keySpec} components are ${rule.minBytes}–${rule.maxBytes} bytes, got ${length}`;
  return `${keySpec} material is a private key: it cannot be split into XOR components`;
}

/** Hex typed by a custodian: spaces and dashes ignored, either case. Undefined if not hex. */
export function parseComponentHex(typed: string): Uint8Array | undefined {
  const digits = typed.replace(/[\s-]/g, '');
  if (digits.length === 0) return undefined;
  return decodeHex(digits);
}

/** Uppercase hex in groups of four, as printed for a custodian to type. */
export function formatComponentHex(bytes: Uint8Array): string {
  return (
    encodeHex(bytes)
      .toUpperCase()
      .match(/.{1,4}/g) ?? []
  ).join(' ');
}

function checkOf(body: string, hash: Sha256): string {
  return encodeHex(hash(encodeUtf8(CHECK_CONTEXT + body)).subarray(0, CHECK_BYTES));
}

export function formatComponentFile(c: ComponentFile, hash: Sha256): string {
  const body = [
    COMPONENT_FILE_HEADER,
    `ceremony-id: ${c.ceremonyId}`,
    `material-group: ${c.materialGroup}`,
    `key-spec: ${c.keySpec}`,
    `component: ${c.index} of ${c.count}`,
    `component-kcv: ${c.componentKcv}`,
    `key-kcv: ${c.keyKcv}`,
    `data: ${formatComponentHex(c.component)}`,
    '',
  ].join('\n');
  return `${body}check: ${checkOf(body, hash)}\n`;
}

const LINE_PATTERNS = [
  /^ceremony-id: (.+)$/,
  /^material-group: (.+)$/,
  /^key-spec: (.+)$/,
  /^component: ([1-9][0-9]?) of ([1-9][0-9]?)$/,
  /^component-kcv: (.+)$/,
  /^key-kcv: (.+)$/,
  /^data: ([0-9A-F ]+)$/,
] as const;

/** Parses a component file strictly, its check line first. */
export function parseComponentFile(text: string, hash: Sha256): ComponentFile {
  if (text.length > COMPONENT_FILE_MAX_CHARS)
    throw invalid(
      `the component file has ${text.length} characters; one is at most ${COMPONENT_FILE_MAX_CHARS}`,
    );
  if (!/^[\x20-\x7e\n]*$/.test(text) || !text.endsWith('\n'))
    throw invalid('the component file is not printable ASCII lines ending in LF');
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] !== COMPONENT_FILE_HEADER)
    throw invalid(
      `the file does not start with "${COMPONENT_FILE_HEADER}": it is not a component of this version`,
    );
  if (lines.length !== LINE_PATTERNS.length + 2)
    throw invalid(
      `a component file has ${LINE_PATTERNS.length + 2} lines, this one ${lines.length}`,
    );
  const checkMatch = /^check: ([0-9a-f]{16})$/.exec(lines.pop()!);
  const body = `${lines.join('\n')}\n`;
  if (checkMatch === null || checkMatch[1] !== checkOf(body, hash))
    throw invalid('the component file fails its check: a character was changed, added or lost');
  const values = LINE_PATTERNS.map((pattern, i) => {
    const m = pattern.exec(lines[i + 1]!);
    if (m === null) throw invalid(`line ${i + 2} of the component file is not what it should be`);
    return m;
  });
  const [id, group, spec, position, componentKcv, keyKcv, data] = values.map((m) => m[1]!);
  if (!UUID.test(id!)) throw invalid("the component's ceremony-id is not a lowercase UUID");
  if (!MATERIAL_GROUP.test(group!))
    throw invalid("the component's material-group is not a group name");
  if (!(KEY_SPECS as readonly string[]).includes(spec!))
    throw invalid("the component's key-spec is not a KMS key spec");
  if (!KCV.test(componentKcv!) || !KCV.test(keyKcv!))
    throw invalid("the component's KCVs are not six uppercase hex digits");
  const index = Number(position);
  const count = Number(values[3]![2]);
  if (count < 2 || index > count)
    throw invalid('the component\'s "component: I of N" needs 2 ≤ N and I ≤ N');
  const component = parseComponentHex(data!);
  if (component === undefined) throw invalid("the component's data is not hex");
  const problem = componentBytesProblem(spec as KeySpec, component.length);
  if (problem !== undefined) {
    component.fill(0);
    throw invalid(problem);
  }
  return {
    ceremonyId: id!,
    materialGroup: group!,
    keySpec: spec as KeySpec,
    index,
    count,
    componentKcv: componentKcv!,
    keyKcv: keyKcv!,
    component,
  };
}
