import type { ChildProcess } from 'node:child_process';

/** What one CLI run gave back. */
export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export type Runner = (argv: readonly string[]) => Promise<CommandResult>;

export declare const ONLINE_OPERATORS: readonly string[];
export declare const OFFLINE_OPERATORS: readonly string[];

export declare function keyIdFlags(arns: readonly string[]): string[];
export declare function prepareArgv(
  out: string,
  argv: readonly string[],
  operators?: readonly string[],
): string[];
export declare function wrapArgv(
  request: string,
  code: string | undefined,
  out: string,
  material?: readonly string[],
  operators?: readonly string[],
): string[];
export declare function soloWrapArgv(request: string, code: string, out?: string): string[];
export declare function importArgv(
  request: string,
  wrapped: string,
  code: string,
  extra?: readonly string[],
  operators?: readonly string[],
): string[];
export declare function rawPrepareArgv(
  keyId: string,
  files?: { readonly out?: string; readonly rawDir?: string },
): string[];
export declare function rawWrapFlags(files?: {
  readonly publicKey?: string;
  readonly material?: string;
  readonly out?: string;
}): string[];
export declare function rawImportFlags(
  keyId: string,
  files?: { readonly encrypted?: string; readonly rawDir?: string },
): string[];
export declare function opensslWrapArgv(material: string, out: string, publicKey: string): string[];
export declare function carry(from: string, to: string, names: readonly string[]): Promise<void>;

export interface SimProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): void;
}
export declare function startSimProcess(
  bin: string,
  flags?: readonly string[],
): Promise<SimProcess>;

export declare function mustSucceed(result: CommandResult, what: string): void;

export interface Prepared<T = Record<string, unknown>> {
  readonly checkCode: string;
  readonly targets: T[];
  readonly stderr: string;
}

/** What byok-online import --json says of each key it imported. */
export interface ImportedKey {
  readonly keyArn: string;
  readonly keyState: string;
  readonly keyMaterialId: string;
  readonly proof: string;
  readonly proven: boolean;
  readonly kcv: string;
}

/** byok-online import --json: the wrapped bundle's check code and every key. */
export interface ImportResult {
  readonly checkCode: string;
  readonly keys: ImportedKey[];
}

export declare class CeremonyDriver {
  constructor(options: {
    readonly onlineDir: string;
    readonly offlineDir: string;
    /** How each machine runs a command; a subclass may override online() and offline() instead. */
    readonly online?: Runner;
    readonly offline?: Runner;
    readonly succeeded?: (result: CommandResult, what: string) => void;
  });
  readonly onlineDir: string;
  readonly offlineDir: string;
  online(argv: readonly string[]): Promise<CommandResult>;
  offline(argv: readonly string[]): Promise<CommandResult>;
  createKey(extra?: readonly string[]): Promise<string>;
  prepare<T = Record<string, unknown>>(name: string, argv: readonly string[]): Promise<Prepared<T>>;
  wrapRaw(
    request: string,
    code: string,
    out: string,
    material?: readonly string[],
  ): Promise<CommandResult>;
  wrap(request: string, code: string, out: string, material?: readonly string[]): Promise<string>;
  importRaw(
    request: string,
    wrapped: string,
    code: string,
    extra?: readonly string[],
  ): Promise<CommandResult>;
  import<T = Record<string, unknown>>(
    request: string,
    wrapped: string,
    code: string,
    extra?: readonly string[],
  ): Promise<T>;
}
