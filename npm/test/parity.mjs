// Parity: every rule's bad and good fixture through the native CLI and through the npm package's
// bin (the same CLI compiled to WebAssembly, on Node's file system), in JSON (English) and human
// (Chinese) output; stdout, stderr and the exit code must be byte for byte the same, so codes,
// spans and messages are. Run by .ci/run after scripts/build-wasm.sh:
//   node npm/test/parity.mjs target/debug/bdpay-doctor
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const native = path.resolve(process.argv[2] || "target/debug/bdpay-doctor");
const bin = path.join(root, "npm/bin/bdpay-doctor.js");
if (!fs.existsSync(native)) throw new Error(`no native binary at ${native}`);
if (!fs.existsSync(path.join(root, "npm/dist/bdpay_wasm_bg.wasm"))) {
  throw new Error("npm/dist is not built: run scripts/build-wasm.sh");
}

const env = { ...process.env, COLUMNS: "100", NO_COLOR: "1", LANG: "C" };
const run = (cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const dirs = [];
// SRC fixtures are code for the scanner, which only the native build has.
for (const rule of fs.readdirSync(path.join(root, "fixtures/rules")).sort().filter((r) => !r.startsWith("SRC"))) {
  for (const side of ["bad", "good"]) {
    const d = path.join(root, "fixtures/rules", rule, side);
    if (fs.existsSync(d)) dirs.push(d);
  }
}
const failures = [];
let runs = 0;
const codes = new Set();
const t0 = Date.now();
for (const dir of dirs) {
  const config = fs.existsSync(path.join(dir, "bdpay.toml")) ? ["--config", "bdpay.toml"] : [];
  for (const extra of [["--format", "json"], ["--lang", "zh"]]) {
    const args = ["check", ...config, ...extra, "."];
    const a = run(native, args, dir);
    const b = run(process.execPath, [bin, ...args], dir);
    runs++;
    for (const m of a.out.matchAll(/"code": "([A-Z]{3}\d{3})"/g)) codes.add(m[1]);
    for (const [what, x, y] of [["exit code", a.code, b.code], ["stdout", a.out, b.out], ["stderr", a.err, b.err]]) {
      if (x !== y) {
        failures.push(`${path.relative(root, dir)} (${args.join(" ")}): ${what} differs\n--- native\n${x}\n--- wasm\n${y}`);
      }
    }
  }
}
// The search: the same ranking and text on both sides, for each kind of query and for no match.
const queries = [
  '{"errCode":6,"errMsg":"请求签名错误"}',
  "支付成功订单状态没变",
  "java.security.spec.InvalidKeySpecException: algid parse error, not a sequence",
  "ios 10002",
  "SIG009",
  "天气怎么样",
];
let searches = 0;
for (const q of queries) {
  for (const extra of [["--format", "json"], ["--lang", "zh"]]) {
    const args = ["explain", ...extra, "--", q];
    const a = run(native, args, root);
    const b = run(process.execPath, [bin, ...args], root);
    searches++;
    for (const [what, x, y] of [["exit code", a.code, b.code], ["stdout", a.out, b.out], ["stderr", a.err, b.err]]) {
      if (x !== y) failures.push(`explain ${q} (${extra.join(" ")}): ${what} differs\n--- native\n${x}\n--- wasm\n${y}`);
    }
  }
}
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (failures.length) {
  console.error(failures.slice(0, 5).join("\n\n"));
  console.error(`parity: ${failures.length} differences in ${runs} runs`);
  process.exit(1);
}
if (dirs.length < 100 || codes.size < 50) {
  console.error(`parity: too few fixtures compared (${dirs.length} directories, ${codes.size} codes)`);
  process.exit(1);
}
console.log(
  `parity: ${dirs.length} fixture directories, ${runs} runs each side (JSON en + human zh), ` +
    `${codes.size} distinct codes, ${searches} explain searches: native and WebAssembly identical (${secs} s)`,
);
