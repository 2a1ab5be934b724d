import { decodeBase64, encodeBase64 } from '../encoding/base64.js';
import { encodeHex } from '../encoding/hex.js';
import { encodeUtf8 } from '../encoding/utf8.js';
import { ByokError } from '../errors.js';
import { KEY_SPECS, type KeySpec } from '../kms/rules.js';
import { HEX_DIGEST, KCV, MATERIAL_GROUP, UUID } from '../validation/field-checker.js';
import { MATERIAL_SET_MAX_CHARS, MATERIAL_SET_MAX_GROUPS } from './material-set.js';

/** SHA-256, supplied by the caller's vetted implementation (node:crypto): shares are secret. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const SHARE_FILE_HEADER = 'byok-ceremony material share v1';
/** A share of the largest material set, in base64 lines, with its labels. */
export const SHARE_FILE_MAX_CHARS = 2 * MATERIAL_SET_MAX_CHARS;
/** Base64 characters per data line, as in PEM. */
export const SHARE_LINE_CHARS = 64;
const CHECK_BYTES = 8;
const CHECK_CONTEXT = 'byok-ceremony share check v1\n';
const SET_DIGEST_CONTEXT = 'byok-ceremony material set v1\n';

/** What a share file says about its set: shown on the page, checked when combining. */
export interface ShareCover {
  readonly materialGroup: string;
  readonly keySpec: KeySpec;
  readonly kcv: string;
}

export interface ShareFile {
  readonly ceremonyId: string;
  /** SHA-256 of the material set the shares were split from: names the split, and checks the combination. */
  readonly setDigest: string;
  /** 32 random hex digits, new for each split: shares of two splits of one set never mix. */
  readonly splitId: string;
  /** 1-based number of this share among `count`. */
  readonly index: number;
  readonly count: number;
  readonly threshold: number;
  readonly covers: readonly ShareCover[];
  /** The share itself (shamir-secret-sharing: one byte per set byte, then its x coordinate). */
  readonly share: Uint8Array;
}

function invalid(message: string): ByokError {
  return new ByokError('ERR_SHARE_INVALID', message, {
    hint: 'Give the share file exactly as wrap wrote it; a share copied by hand must match its printed page character for character.',
  });
}

/** `setDigest` of a material set's bytes. The set holds full-entropy keys, so it reveals nothing usable. */
export function materialSetDigest(setBytes: Uint8Array, hash: Sha256): string {
  const context = encodeUtf8(SET_DIGEST_CONTEXT);
  const input = new Uint8Array(context.length + setBytes.length);
  input.set(context);
  input.set(setBytes, context.length);
  try {
    return encodeHex(hash(input));
  } finally {
    input.fill(0);
  }
}

function checkOf(body: string, hash: Sha256): string {
  return encodeHex(hash(encodeUtf8(CHECK_CONTEXT + body)).subarray(0, CHECK_BYTES));
}

/** The label lines of a share, before its data. */
function labelLines(share: ShareFile): string[] {
  return [
    SHARE_FILE_HEADER,
    `ceremony-id: ${share.ceremonyId}`,
    `set-digest: ${share.setDigest}`,
    `split-id: ${share.splitId}`,
    `share: ${share.index} of ${share.count}`,
    `threshold: ${share.threshold}`,
    ...share.covers.map((c) => `covers: ${c.materialGroup} ${c.keySpec} KCV ${c.kcv}`),
    `bytes: ${share.share.length}`,
    'data:',
  ];
}

/** The text of a share file: labels, the share in base64 lines, and a check over all of it. */
export function formatShareFile(share: ShareFile, hash: Sha256): string {
  const data = encodeBase64(share.share);
  const lines = labelLines(share);
  for (let i = 0; i < data.length; i += SHARE_LINE_CHARS)
    lines.push(data.slice(i, i + SHARE_LINE_CHARS));
  const body = `${lines.join('\n')}\n`;
  return `${body}check: ${checkOf(body, hash)}\n`;
}

function positiveInt(text: string, what: string, max: number): number {
  if (!/^[1-9][0-9]{0,2}$/.test(text) || Number(text) > max)
    throw invalid(`the share's ${what} is not a number from 1 to ${max}`);
  return Number(text);
}

/**
 * The share file's lines before its check line, once the check over them holds: it is tested
 * before any label, so any changed character is reported as such.
 */
function checkedLines(text: string, hash: Sha256): string[] {
  if (text.length > SHARE_FILE_MAX_CHARS)
    throw invalid(
      `the share file has ${text.length} characters; a share file is at most ${SHARE_FILE_MAX_CHARS}`,
    );
  if (!/^[\x20-\x7e\n]*$/.test(text))
    throw invalid('the share file has characters other than printable ASCII and LF line ends');
  if (!text.endsWith('\n'))
    throw invalid('the share file does not end with a line end (truncated?)');
  const lines = text.slice(0, -1).split('\n');
  const checkLine = lines.pop() ?? '';
  const checkMatch = /^check: ([0-9a-f]{16})$/.exec(checkLine);
  if (lines[0] !== SHARE_FILE_HEADER)
    throw invalid(
      `the file does not start with "${SHARE_FILE_HEADER}": it is not a share of this version`,
    );
  if (checkMatch === null)
    throw invalid('the share file does not end with its check line (truncated?)');
  const body = `${lines.join('\n')}\n`;
  if (!constantTimeEqualText(checkOf(body, hash), checkMatch[1]!))
    throw invalid('the share file fails its check: a character was changed, added or lost');
  return lines;
}

/** The share file's lines read in order, one label after the other. */
class ShareLines {
  at = 1;
  constructor(readonly lines: readonly string[]) {}

  label(name: string): string {
    const line = this.lines[this.at] ?? '';
    if (!line.startsWith(`${name}: `))
      throw invalid(`line ${this.at + 1} of the share file should be "${name}: …"`);
    this.at++;
    return line.slice(name.length + 2);
  }
}

/** The ceremony, set and split the share belongs to. */
function shareIdentity(r: ShareLines): Pick<ShareFile, 'ceremonyId' | 'setDigest' | 'splitId'> {
  const ceremonyId = r.label('ceremony-id');
  if (!UUID.test(ceremonyId)) throw invalid("the share's ceremony-id is not a lowercase UUID");
  const setDigest = r.label('set-digest');
  if (!HEX_DIGEST.test(setDigest))
    throw invalid("the share's set-digest is not 64 lowercase hex digits");
  const splitId = r.label('split-id');
  if (!/^[0-9a-f]{32}$/.test(splitId))
    throw invalid("the share's split-id is not 32 lowercase hex digits");
  return { ceremonyId, setDigest, splitId };
}

/** `share: I of N` and `threshold: T`, consistent with each other. */
function sharePosition(r: ShareLines): Pick<ShareFile, 'index' | 'count' | 'threshold'> {
  const position = /^([0-9]+) of ([0-9]+)$/.exec(r.label('share'));
  if (position === null) throw invalid('the share\'s "share:" label is not "I of N"');
  const count = positiveInt(position[2]!, 'count', 255);
  const index = positiveInt(position[1]!, 'index', count);
  const threshold = positiveInt(r.label('threshold'), 'threshold', count);
  if (count < 2 || threshold < 2)
    throw invalid('a share needs a count and a threshold of at least 2');
  return { index, count, threshold };
}

/** The `covers:` lines: each material group once, 1 to MATERIAL_SET_MAX_GROUPS of them. */
function shareCovers(r: ShareLines): ShareCover[] {
  const covers: ShareCover[] = [];
  while ((r.lines[r.at] ?? '').startsWith('covers: ')) {
    const cover = /^covers: (\S+) (\S+) KCV (\S+)$/.exec(r.lines[r.at]!);
    const [group, spec, kcv] = cover === null ? [] : [cover[1]!, cover[2]!, cover[3]!];
    if (
      group === undefined ||
      !MATERIAL_GROUP.test(group) ||
      !(KEY_SPECS as readonly string[]).includes(spec!) ||
      !KCV.test(kcv!)
    )
      throw invalid(
        `line ${r.at + 1} of the share file is not "covers: GROUP KEY_SPEC KCV XXXXXX"`,
      );
    if (covers.some((c) => c.materialGroup === group))
      throw invalid(`the share names material group ${group} twice`);
    covers.push({ materialGroup: group, keySpec: spec as KeySpec, kcv: kcv! });
    r.at++;
  }
  if (covers.length === 0 || covers.length > MATERIAL_SET_MAX_GROUPS)
    throw invalid(
      `a share covers 1 to ${MATERIAL_SET_MAX_GROUPS} material groups, this one ${covers.length}`,
    );
  return covers;
}

/** `bytes: N`, `data:` and the share in full base64 lines of exactly N bytes. */
function shareData(r: ShareLines): Uint8Array {
  const bytesText = r.label('bytes');
  if (!/^[1-9][0-9]{0,6}$/.test(bytesText))
    throw invalid('the share\'s "bytes:" label is not a size');
  const bytes = Number(bytesText);
  if (r.lines[r.at] !== 'data:')
    throw invalid(`line ${r.at + 1} of the share file should be "data:"`);
  const dataLines = r.lines.slice(r.at + 1);
  const expectedLines = Math.ceil((Math.ceil(bytes / 3) * 4) / SHARE_LINE_CHARS);
  if (
    dataLines.length !== expectedLines ||
    dataLines.some((l, i) => i < dataLines.length - 1 && l.length !== SHARE_LINE_CHARS)
  )
    throw invalid(
      `the share's data is not ${expectedLines} lines of ${SHARE_LINE_CHARS} base64 characters for ${bytes} bytes`,
    );
  const share = decodeBase64(dataLines.join(''));
  if (share === undefined) throw invalid("the share's data is not valid base64");
  if (share.length !== bytes) {
    share.fill(0);
    throw invalid(`the share's data has ${share.length} bytes, but its label says ${bytes}`);
  }
  if (share.length < 2) {
    share.fill(0);
    throw invalid('the share is too short to hold a material set');
  }
  return share;
}

/**
 * Parses a share file strictly (LF line ends, labels in order, nothing else) and checks its
 * check line first, so any changed character is reported as such. Labels are checked for
 * consistency; whether shares belong together is decided when they are combined.
 */
export function parseShareFile(text: string, hash: Sha256): ShareFile {
  const r = new ShareLines(checkedLines(text, hash));
  const { ceremonyId, setDigest, splitId } = shareIdentity(r);
  const { index, count, threshold } = sharePosition(r);
  const covers = shareCovers(r);
  const share = shareData(r);
  return { ceremonyId, setDigest, splitId, index, count, threshold, covers, share };
}

/** Compares two equal-purpose strings without an early exit. */
function constantTimeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
