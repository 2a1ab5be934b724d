import { ByokError } from '@byok-ceremony/shared';

/** What a PKCS#11 URI (RFC 7512) names for byok-offline: the module, the token and the PIN's source. */
export interface Pkcs11Uri {
  /** `module-path`: the PKCS#11 library to load, an absolute path. */
  readonly modulePath: string;
  /** The token's CK_TOKEN_INFO fields to match (at least `label` or `serial`). */
  readonly token: {
    readonly label?: string;
    readonly serial?: string;
    readonly manufacturer?: string;
    readonly model?: string;
  };
  /** `object` (CKA_LABEL) and `id` (CKA_ID): only `recover` takes them, to name an object. */
  readonly object?: string;
  readonly id?: Uint8Array;
  /** `pin-source=file:…`: the PIN file's path as written (relative to the working folder if not absolute). */
  readonly pinFile?: string;
}

const PATH_ATTRIBUTES = ['token', 'serial', 'manufacturer', 'model', 'object', 'id'] as const;
const QUERY_ATTRIBUTES = ['module-path', 'pin-source'] as const;
type PathAttribute = (typeof PATH_ATTRIBUTES)[number];
type QueryAttribute = (typeof QUERY_ATTRIBUTES)[number];

/** RFC 7512 attributes this tool refuses on purpose, with why. */
const REFUSED: Readonly<Record<string, string>> = {
  'pin-value':
    'A PIN in the URI would be in the command line (argv, shell history, the process list). Put it in a file of mode 0600 and name it with pin-source=file:PATH, or leave pin-source out to type it.',
  'module-name':
    'Name the library by its absolute path with module-path=… (for SoftHSM: module-path=/usr/lib/softhsm/libsofthsm2.so): no library search path is consulted.',
  type: 'byok-offline chooses the object classes itself (secret keys, private keys and their public keys): leave type out.',
  'slot-id':
    'Select the token by token=LABEL and/or serial=SERIAL (pkcs11-tool --list-token-slots shows both): slot numbers change between runs.',
  'slot-description': 'Select the token by token=LABEL and/or serial=SERIAL.',
  'slot-manufacturer': 'Select the token by token=LABEL and/or serial=SERIAL.',
  'library-manufacturer': 'The library is named by module-path alone.',
  'library-description': 'The library is named by module-path alone.',
  'library-version': 'The library is named by module-path alone.',
};

const URI_HINT =
  'Write it as pkcs11:token=LABEL?module-path=/path/to/module.so&pin-source=file:/path/to/pin.txt (RFC 7512), quoted for the shell.';

function uriError(message: string, hint: string = URI_HINT): ByokError {
  return new ByokError('ERR_HSM_URI', `--hsm: ${message}`, { hint });
}

/** RFC 7512 pk11-pchar (path) and pk11-qchar (query) without the percent sign, which is decoded. */
const PATH_CHAR = /^[A-Za-z0-9\-._~:[\]@!$'()*+,=&]$/;
const QUERY_CHAR = /^[A-Za-z0-9\-._~:[\]@!$'()*+,=/?|;]$/;

/** Percent-decodes one attribute value into bytes, refusing characters RFC 7512 wants encoded. */
function decodeValue(raw: string, name: string, allowed: RegExp): Uint8Array {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex))
        throw uriError(
          `the value of ${name} has a % not followed by two hex digits`,
          'Percent-encode each byte as %XX (a space is %20, a % itself is %25).',
        );
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (allowed.test(ch)) {
      bytes.push(ch.charCodeAt(0));
    } else {
      throw uriError(
        `the value of ${name} holds ${JSON.stringify(ch)}, which a PKCS#11 URI must percent-encode`,
        `Write it as ${[...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')} (a space is %20).`,
      );
    }
  }
  return Uint8Array.from(bytes);
}

function decodeText(raw: string, name: string, allowed: RegExp): string {
  const bytes = decodeValue(raw, name, allowed);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw uriError(
      `the value of ${name} is not UTF-8 once percent-decoded`,
      'Token labels and object labels are UTF-8 text: check the %XX sequences.',
    );
  }
}

/** Splits `a=b;c=d` into pairs, refusing empty, unknown, refused and repeated attributes. */
function attributesOf<A extends string>(
  part: string,
  separator: string,
  known: readonly A[],
  where: string,
): Map<A, string> {
  const found = new Map<A, string>();
  for (const item of part.split(separator)) {
    if (item === '')
      throw uriError(
        `an empty attribute in the ${where} (two ${separator} together, or one at an end)`,
      );
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const refused = REFUSED[name];
    if (refused !== undefined) throw uriError(`${name} is not accepted`, refused);
    if (!(known as readonly string[]).includes(name)) {
      const other = [...PATH_ATTRIBUTES, ...QUERY_ATTRIBUTES].includes(name as never);
      throw uriError(
        other
          ? `${name} belongs in the ${where === 'path' ? 'query (after ?)' : 'path (before ?)'}`
          : `unknown attribute ${JSON.stringify(name.slice(0, 40))} in the ${where}`,
        `The path takes ${PATH_ATTRIBUTES.join(', ')} (separated by ;); the query takes ${QUERY_ATTRIBUTES.join(', ')} (separated by &).`,
      );
    }
    if (eq < 0 || eq === item.length - 1)
      throw uriError(`${name} has no value`, `Give it one (${name}=…) or leave it out.`);
    if (found.has(name as A))
      throw uriError(
        `${name} is given twice`,
        `Give ${name} once: two values would leave unclear which one is meant.`,
      );
    found.set(name as A, item.slice(eq + 1));
  }
  return found;
}

/** `file:/abs`, `file:///abs`, `file://localhost/abs` or `file:relative` → the path. */
function pinFileOf(raw: string): string {
  const source = decodeText(raw, 'pin-source', QUERY_CHAR);
  if (!source.toLowerCase().startsWith('file:'))
    throw uriError(
      `pin-source must be a file: URI (got ${JSON.stringify(source.slice(0, 40))})`,
      'Name a file of mode 0600 that holds the PIN: pin-source=file:/path/to/pin.txt. Leave pin-source out to type the PIN on the terminal.',
    );
  let path = source.slice('file:'.length);
  if (path.startsWith('//')) {
    const slash = path.indexOf('/', 2);
    const host = slash < 0 ? path.slice(2) : path.slice(2, slash);
    if (host !== '' && host.toLowerCase() !== 'localhost')
      throw uriError(
        `pin-source names a file on another host (${JSON.stringify(host)})`,
        'The PIN file must be on this machine: pin-source=file:/path/to/pin.txt.',
      );
    path = slash < 0 ? '' : path.slice(slash);
  }
  if (path === '') throw uriError('pin-source names no file', 'pin-source=file:/path/to/pin.txt');
  if (path.includes('\0')) throw uriError('pin-source holds a NUL byte');
  return path;
}

function modulePathOf(raw: string | undefined): string {
  if (raw === undefined)
    throw uriError(
      'no module-path',
      'Name the PKCS#11 library: pkcs11:token=LABEL?module-path=/usr/lib/softhsm/libsofthsm2.so (your HSM vendor documents its path).',
    );
  const path = decodeText(raw, 'module-path', QUERY_CHAR);
  if (!path.startsWith('/') || path.includes('\0'))
    throw uriError(
      `module-path must be an absolute path (got ${JSON.stringify(path.slice(0, 60))})`,
      'A relative path would load whatever library the working folder holds: give the full path, e.g. /usr/lib/softhsm/libsofthsm2.so.',
    );
  return path;
}

/**
 * Parses an RFC 7512 PKCS#11 URI strictly: attributes this tool does not use are refused rather
 * than ignored (a token attribute the tool skipped would select another token than the operator
 * meant), each with its own error and hint. No PIN value is ever taken from the URI.
 */
export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (!/^pkcs11:/i.test(uri))
    throw uriError(`${JSON.stringify(uri.slice(0, 40))} is not a PKCS#11 URI (pkcs11:…)`);
  const rest = uri.slice('pkcs11:'.length);
  const q = rest.indexOf('?');
  const pathPart = q < 0 ? rest : rest.slice(0, q);
  const queryPart = q < 0 ? '' : rest.slice(q + 1);
  if (q >= 0 && queryPart === '') throw uriError('nothing after ?');
  if (queryPart.includes('#') || pathPart.includes('#'))
    throw uriError('a PKCS#11 URI has no fragment (#)', 'Percent-encode # as %23.');
  const path: Map<PathAttribute, string> =
    pathPart === ''
      ? new Map<PathAttribute, string>()
      : attributesOf(pathPart, ';', PATH_ATTRIBUTES, 'path');
  const query: Map<QueryAttribute, string> =
    queryPart === ''
      ? new Map<QueryAttribute, string>()
      : attributesOf(queryPart, '&', QUERY_ATTRIBUTES, 'query');
  const text = (name: PathAttribute): string | undefined => {
    const raw = path.get(name);
    return raw === undefined ? undefined : decodeText(raw, name, PATH_CHAR);
  };
  const label = text('token');
  const serial = text('serial');
  const manufacturer = text('manufacturer');
  const model = text('model');
  if (label === undefined && serial === undefined)
    throw uriError(
      'the URI names no token (token= or serial=)',
      'Name the token by its label and/or serial: pkcs11:token=LABEL;serial=SERIAL?module-path=… (pkcs11-tool --module … --list-token-slots shows both).',
    );
  const object = text('object');
  const idRaw = path.get('id');
  const modulePath = modulePathOf(query.get('module-path'));
  const pinRaw = query.get('pin-source');
  return {
    modulePath,
    token: {
      ...(label === undefined ? {} : { label }),
      ...(serial === undefined ? {} : { serial }),
      ...(manufacturer === undefined ? {} : { manufacturer }),
      ...(model === undefined ? {} : { model }),
    },
    ...(object === undefined ? {} : { object }),
    ...(idRaw === undefined ? {} : { id: decodeValue(idRaw, 'id', PATH_CHAR) }),
    ...(pinRaw === undefined ? {} : { pinFile: pinFileOf(pinRaw) }),
  };
}
