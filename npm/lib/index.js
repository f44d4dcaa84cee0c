// bdpay-doctor's JavaScript API and the engine behind `npx bdpay-doctor`: the native CLI's own
// code, compiled to WebAssembly (crates/bdpay-wasm), run against a host that stands in for the
// file system and streams. The API never touches the disk: inputs are passed in, results come
// back as the CLI's JSON (the schema of `--format json`).

import fs from "node:fs";
import { initSync, run as wasmRun, version as wasmVersion } from "../dist/bdpay_wasm.js";
import { memoryHost, nodeHost } from "./host.js";

let ready = false;

function init() {
  if (!ready) {
    initSync({ module: fs.readFileSync(new URL("../dist/bdpay_wasm_bg.wasm", import.meta.url)) });
    ready = true;
  }
}

/** Runs the CLI with `args` (without the program name) against `host`; the exit code. */
export function runWith(host, args) {
  init();
  const previous = globalThis.bdpayHost;
  globalThis.bdpayHost = host;
  try {
    return wasmRun(["bdpay-doctor", ...args.map(String)]);
  } finally {
    globalThis.bdpayHost = previous;
  }
}

/** `bdpay-doctor ...argv` on the real file system and streams (what the `bin` runs). */
export function cli(argv) {
  return runWith(nodeHost(fs, process), argv);
}

/** The CLI with in-memory files: `{ code, stdout, stderr, written }`. */
export function run(args, { files = {}, stdin = "", env = {} } = {}) {
  const host = memoryHost({ files, stdin, env });
  const code = runWith(host, args);
  return { code, ...host.result() };
}

/** The tool's version. */
export function version() {
  init();
  return wasmVersion();
}

function common(o) {
  const args = [];
  if (o.lang) args.push("--lang", o.lang);
  if (o.failOn) args.push("--fail-on", o.failOn);
  for (const [flag, list] of [["--select", o.select], ["-D", o.deny], ["-W", o.warn], ["-A", o.allow]]) {
    if (list && list.length) args.push(flag, [].concat(list).join(","));
  }
  return args;
}

function keyAndConfig(o, args, files) {
  if (o.key != null) {
    files["key.pem"] = o.key;
    args.push("--key", "key.pem");
  }
  if (o.config != null) {
    files["bdpay.toml"] = o.config;
    Object.assign(files, o.configFiles || {});
    args.push("--config", "bdpay.toml");
  }
  if (o.kind) args.push("--kind", o.kind);
}

function json(args, opts, tail = []) {
  const r = run([...args, "--format", "json", ...tail], opts);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    throw new Error((r.stderr || r.stdout || "no output").trim());
  }
  return { exitCode: r.code, ...report };
}

/** Diagnoses one pasted payload (any form: JSON, devtools, print_r, a log line, curl...). */
export function diagnose(text, o = {}) {
  const args = ["diagnose", "-", ...common(o)];
  const files = {};
  keyAndConfig(o, args, files);
  if (o.theirString != null) args.push("--their-string", o.theirString);
  return json(args, { files, stdin: text });
}

/** Lints a config and payloads, as `bdpay-doctor check` does in CI. */
export function check({ config, configFiles, payloads = {}, ...o } = {}) {
  const args = ["check", ...common(o)];
  const files = { ...payloads };
  keyAndConfig({ ...o, config, configFiles }, args, files);
  args.push(...Object.keys(payloads));
  return json(args, { files });
}

/** The rule catalogue: code, name, severity, summary, fix and FAQ entry of every rule. */
export function rules(o = {}) {
  const r = run(["rules", "--format", "json", ...common(o)]);
  return JSON.parse(r.stdout);
}

/**
 * Searches the catalogue for any text (a code, a pasted error object or message, a library's key
 * error, a symptom): the ranked matches, the best first. Without a query: what it knows. Throws
 * with the CLI's message when nothing matches.
 */
export function explain(query, o = {}) {
  // After `--`, a query that starts with `-` is still the query.
  return json(["explain", ...common(o)], {}, query ? ["--", query] : []);
}

/** Verifies a payload's signature with a key (or a config's keys). */
export function verify(text, o = {}) {
  const args = ["verify", "-", ...common(o)];
  const files = {};
  keyAndConfig(o, args, files);
  return json(args, { files, stdin: text });
}

/** Signs a payload with a private key, exactly as the platform expects. */
export function sign(text, o = {}) {
  const args = ["sign", "-", ...common(o)];
  const files = {};
  keyAndConfig(o, args, files);
  return json(args, { files, stdin: text });
}

/** Says what a key file holds: form, size, fingerprint, and what it is for. */
export function keysInspect(key, o = {}) {
  return json(["keys", "inspect", "key.pem", ...common(o)], { files: { "key.pem": key } });
}
