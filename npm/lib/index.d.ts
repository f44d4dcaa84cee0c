// Types of bdpay-doctor's JavaScript API. Every function runs the CLI's own code (WebAssembly)
// on in-memory inputs and returns the CLI's `--format json` document with its exit code.

/** Bytes or text of a file. */
export type FileContent = string | Uint8Array;

/** Options every command takes. */
export interface CommonOptions {
  /** Output language: "en" (default) or "zh". */
  lang?: "en" | "zh";
  /** Severity at or above which the exit code is 1: "error" (default), "warning", "info", "never". */
  failOn?: "error" | "warning" | "info" | "never";
  /** Run only these rules (codes, names or family prefixes such as "SIG"). */
  select?: string | string[];
  /** Report these rules as errors / warnings, or turn them off. */
  deny?: string | string[];
  warn?: string | string[];
  allow?: string | string[];
}

export interface KeyOptions {
  /** A key in any form (PEM, DER, bare base64): the developer or platform public key, or a private key. */
  key?: FileContent;
  /** A bdpay.toml; key files it names are looked up in `configFiles`. */
  config?: string;
  configFiles?: Record<string, FileContent>;
  /** Force the payload kind instead of detecting it (e.g. "order", "notify", "refund-apply"). */
  kind?: string;
}

export interface Span {
  offset: number;
  length: number;
}

/** One finding, as in `--format json`. */
export interface Diagnostic {
  code: string;
  name: string;
  severity: "error" | "warning" | "info";
  message: string;
  help?: string;
  faq: string;
  url: string;
  file: string;
  line: number;
  column: number;
  span: Span;
  [more: string]: unknown;
}

/** The `--format json` document, with the exit code the CLI would return. */
export interface Report {
  exitCode: number;
  diagnostics: Diagnostic[];
  [more: string]: unknown;
}

export function diagnose(text: string, options?: CommonOptions & KeyOptions & { theirString?: string }): Report;
export function check(
  options: CommonOptions & KeyOptions & { payloads?: Record<string, FileContent> },
): Report;
/** One rule of the catalogue. */
export interface Rule {
  code: string;
  name: string;
  severity: "error" | "warning" | "info";
  summary: string;
  fix: string;
  faq: string;
  [more: string]: unknown;
}

export function rules(options?: CommonOptions): Rule[];
/** One ranked entry of `explain`: a symptom, a platform code or a rule, with its full text. */
export interface ExplainMatch {
  kind: "symptom" | "platform-code" | "rule";
  /** What to pass to `explain` to get this entry alone. */
  id: string;
  title: string;
  /** The query named this entry exactly (a rule code or name, a code's spelling). */
  exact: boolean;
  /** The search score; null for an exact match. */
  score: number | null;
  entry: Record<string, unknown>;
}

export interface ExplainResult {
  exitCode: number;
  query: string;
  /** Codes read from the query (`ios:10005`, `6`) and rule codes it mentions. */
  read_as: { codes: string[]; rules: string[] };
  /** The best first, then the close ones. */
  matches: ExplainMatch[];
}

export interface ExplainIndex {
  exitCode: number;
  symptoms: { query: string; title: string }[];
  platform_codes: { query: string; title: string }[];
}

/** Searches for any text; throws with the CLI's message when nothing matches. */
export function explain(query: string, options?: CommonOptions): ExplainResult;
/** What `explain` knows: its symptoms and platform codes. */
export function explain(query?: undefined, options?: CommonOptions): ExplainIndex;
export function verify(text: string, options?: CommonOptions & KeyOptions): Record<string, unknown> & { exitCode: number };
export function sign(text: string, options?: CommonOptions & KeyOptions): Record<string, unknown> & { exitCode: number };
export function keysInspect(key: FileContent, options?: CommonOptions): Record<string, unknown> & { exitCode: number };

/** The CLI with in-memory files: any command, any flags. */
export function run(
  args: string[],
  inputs?: { files?: Record<string, FileContent>; stdin?: FileContent; env?: Record<string, string> },
): { code: number; stdout: string; stderr: string; written: Record<string, Uint8Array> };

/** `bdpay-doctor ...argv` on the real file system and streams; the exit code. */
export function cli(argv: string[]): number;

export function version(): string;
