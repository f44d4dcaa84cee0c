// Builds the self-contained paste page: web/index.html with the CSS, the WebAssembly engine
// (base64), its wasm-bindgen glue, the in-memory host and the app inlined, so the one file works
// from file:// with no request. Writes npm/dist/bdpay-doctor.html and prints its weight.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const read = (p) => fs.readFileSync(path.join(root, p), "utf8");
const wasm = fs.readFileSync(path.join(root, "npm/dist/bdpay_wasm_bg.wasm"));
const glue = read("npm/dist/bdpay_wasm.js");
const host = read("npm/lib/host.js").replace(/^export /gm, "");
const app = read("web/app.js");
const css = read("web/style.css");
const script =
  `${glue}\nconst Host = (() => {\n${host}\nreturn { memoryHost };\n})();\n` +
  `const WASM = "${wasm.toString("base64")}";\n${app}`;
// Replace with functions: the inlined code holds `$&` and other replacement patterns.
const html = read("web/index.html")
  .replace("/*STYLE*/", () => css)
  .replace("/*GLUE*/\n/*HOST*/\n/*APP*/", () => script.replace(/<\/script/gi, "<\\/script"));
const out = path.join(root, "npm/dist/bdpay-doctor.html");
fs.writeFileSync(out, html);
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
const weigh = (name, buf) =>
  `${name} ${kb(buf.length)} raw / ${kb(zlib.gzipSync(buf, { level: 9 }).length)} gzip`;
console.log(`page: ${path.relative(root, out)}`);
console.log(`  ${weigh("wasm", wasm)}; ${weigh("JS", Buffer.from(glue + host + app))}; ${weigh("CSS", Buffer.from(css))}`);
console.log(`  ${weigh("whole page (wasm inlined as base64)", Buffer.from(html))}`);
