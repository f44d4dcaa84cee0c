// The paste page: the CLI's own engine (WebAssembly, inlined above) run on what is pasted here,
// with an in-memory host. Nothing is sent anywhere and nothing is stored: keys live in this
// tab's memory only, until it is closed.
const T = {
  en: {
    tagline: "diagnose Baidu cashier (百度收银台) payloads, signatures and callbacks",
    privacy: "Nothing leaves this page: it makes no request after loading (its Content-Security-Policy forbids connections) and stores nothing, keys included.",
    paste: "Paste anything: orderInfo, a devtools object, a PHP print_r, a log line, a callback body, a curl command",
    pastePlaceholder: "{ \"dealId\": \"470193086\", \"appKey\": \"MMMabc\", ... }",
    kind: "Kind",
    auto: "detect",
    keysTitle: "Keys and bdpay.toml (optional)",
    key: "Key to verify with (开发者公钥 for requests, 平台公钥 for callbacks; a private key also works)",
    keyPlaceholder: "-----BEGIN PUBLIC KEY-----",
    config: "bdpay.toml",
    configPlaceholder: "[merchant]\nappKey = \"MMM...\"",
    keysNote: "Key files named in bdpay.toml cannot be read from a page: paste or pick the key above.",
    source: "Pasted text",
    explainTitle: "Explain an error, a code or a symptom",
    explainPlaceholder: "paste an error or type a symptom: {errCode: 6, ...}, 10003, InvalidKeySpecException, 收不到回调...",
    footer: "bdpay-doctor, the same engine as the CLI and the npm package",
    empty: "Paste a payload to diagnose it.",
    readAs: (form, kind) => `read as ${form}, kind ${kind}`,
    took: (ms, n) => `${n} finding(s) in ${ms} ms`,
    help: "help",
    faq: "FAQ",
    switchTo: "中文",
    error: "cannot diagnose",
  },
  zh: {
    tagline: "诊断百度收银台的报文、签名和回调",
    privacy: "所有内容都不会离开本页面：加载后不发出任何请求（内容安全策略禁止任何连接），也不保存任何内容，包括密钥。",
    paste: "粘贴任何内容：orderInfo、开发者工具中的对象、PHP print_r、日志行、回调请求体、curl 命令",
    pastePlaceholder: "{ \"dealId\": \"470193086\", \"appKey\": \"MMMabc\", ... }",
    kind: "类型",
    auto: "自动识别",
    keysTitle: "密钥和 bdpay.toml（可选）",
    key: "验签密钥（请求用开发者公钥，回调用平台公钥；也可以用私钥）",
    keyPlaceholder: "-----BEGIN PUBLIC KEY-----",
    config: "bdpay.toml",
    configPlaceholder: "[merchant]\nappKey = \"MMM...\"",
    keysNote: "页面无法读取 bdpay.toml 中写的密钥文件：请在上方粘贴或选择密钥。",
    source: "粘贴的内容",
    explainTitle: "解释错误、错误码或现象",
    explainPlaceholder: "粘贴报错或描述现象：{errCode: 6, …}、10003、InvalidKeySpecException、收不到回调……",
    footer: "bdpay-doctor，与命令行和 npm 包使用同一引擎",
    empty: "粘贴报文即可诊断。",
    readAs: (form, kind) => `按 ${form} 读取，类型 ${kind}`,
    took: (ms, n) => `${n} 个问题，用时 ${ms} 毫秒`,
    help: "帮助",
    faq: "FAQ",
    switchTo: "English",
    error: "无法诊断",
  },
};

const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
let lang = (navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en";
let keyBytes = null;
let last = null;

function engine(args, files = {}, stdin = "") {
  const host = Host.memoryHost({ files, stdin, env: { COLUMNS: "96" } });
  globalThis.bdpayHost = host;
  const code = run(["bdpay-doctor", ...args]);
  return { code, ...host.result() };
}

function translate() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = T[lang][el.dataset.t];
  for (const el of document.querySelectorAll("[data-tp]")) el.placeholder = T[lang][el.dataset.tp];
  $("lang").textContent = T[lang].switchTo;
}

// Byte offsets (the engine's spans) to string indices.
function byteToIndex(text) {
  const map = new Map();
  let b = 0;
  let i = 0;
  for (const ch of text) {
    map.set(b, i);
    b += enc.encode(ch).length;
    i += ch.length;
  }
  map.set(b, i);
  return (off) => {
    while (off > 0 && !map.has(off)) off--;
    return map.get(off) ?? 0;
  };
}

function esc(s) {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

function showSource(text, spans, active) {
  const idx = byteToIndex(text);
  const ranges = spans
    .map((s, n) => ({ n, a: idx(s.offset), b: idx(s.offset + Math.max(s.length, 1)) }))
    .sort((x, y) => x.a - y.a || y.b - x.b);
  let html = "";
  let pos = 0;
  for (const r of ranges) {
    if (r.a < pos) continue;
    html += esc(text.slice(pos, r.a));
    html += `<mark data-n="${r.n}" class="${r.n === active ? "active" : ""}">${esc(text.slice(r.a, r.b) || " ")}</mark>`;
    pos = r.b;
  }
  html += esc(text.slice(pos));
  $("view").innerHTML = html;
  const m = $("view").querySelector("mark.active");
  if (m) m.scrollIntoView({ block: "nearest" });
}

function diagnose() {
  const text = $("paste").value;
  const t0 = performance.now();
  if (!text.trim()) {
    for (const id of ["readas", "signature", "summary", "cards", "view"]) $(id).textContent = "";
    $("summary").textContent = T[lang].empty;
    last = null;
    return;
  }
  const files = {};
  const args = ["diagnose", "-", "--format", "json", "--lang", lang];
  const keyText = $("key").value.trim();
  if (keyBytes || keyText) {
    files["key.pem"] = keyText ? keyText : keyBytes;
    args.push("--key", "key.pem");
  }
  if ($("config").value.trim()) {
    files["bdpay.toml"] = $("config").value;
    args.push("--config", "bdpay.toml");
  }
  if ($("kind").value) args.push("--kind", $("kind").value);
  const r = engine(args, files, text);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    report = { error: { message: (r.stderr || r.stdout).trim() } };
  }
  const ms = Math.round(performance.now() - t0);
  last = { text, report };
  render(report, ms);
  document.body.dataset.done = String(Date.now());
  document.body.dataset.ms = String(ms);
}

function render(report, ms) {
  const cards = $("cards");
  cards.innerHTML = "";
  const input = (report.inputs || [])[0];
  $("readas").textContent = input ? T[lang].readAs(input.form, input.kind) : "";
  const sig = input && input.signature;
  $("signature").textContent = sig ? sig.text : "";
  $("signature").className = sig ? sig.status : "";
  const spans = [];
  const items = [];
  if (report.error) {
    items.push({ severity: "error", code: T[lang].error, name: "", message: report.error.message, help: report.error.help, span: report.error.span, mine: true });
  }
  for (const d of report.diagnostics || []) items.push({ ...d, mine: d.file === "<stdin>" });
  items.forEach((d, n) => {
    const card = document.createElement("div");
    card.className = `card ${d.severity}`;
    card.dataset.code = d.code;
    const name = d.url ? `<a href="${esc(d.url)}" target="_blank" rel="noreferrer">${esc(d.name)}</a>` : esc(d.name || "");
    card.innerHTML =
      `<span class="code">${esc(d.code)}</span> ${name} <span class="sev">${esc(d.severity)}</span>` +
      `<div class="msg">${esc(d.message || "")}</div>` +
      (d.help ? `<pre>${esc(d.help)}</pre>` : "") +
      (d.faq ? `<div class="faq">${T[lang].faq}: ${esc(d.faq)}${d.mine ? "" : ` · ${esc(d.file)}:${d.line}`}</div>` : "");
    const spanIndex = d.mine && d.span ? spans.push(d.span) - 1 : -1;
    card.addEventListener("click", () => {
      for (const c of cards.children) c.classList.remove("active");
      card.classList.add("active");
      showSource(last.text, spans, spanIndex);
      if (spanIndex >= 0) {
        const idx = byteToIndex(last.text);
        const s = spans[spanIndex];
        $("paste").setSelectionRange(idx(s.offset), idx(s.offset + s.length));
      }
    });
    cards.appendChild(card);
  });
  const n = (report.diagnostics || []).length;
  $("summary").textContent = T[lang].took(ms, n);
  showSource(last.text, spans, -1);
}

function explain() {
  const q = $("query").value.trim();
  const r = engine(["explain", "--lang", lang, "--no-color", ...(q ? ["--", q] : [])]);
  $("answer").textContent = (r.stdout || r.stderr).trim();
}

let timer = null;
const soon = (f) => () => {
  clearTimeout(timer);
  timer = setTimeout(f, 120);
};

async function readFile(input) {
  const f = input.files && input.files[0];
  return f ? new Uint8Array(await f.arrayBuffer()) : null;
}

initSync({ module: Uint8Array.from(atob(WASM), (c) => c.charCodeAt(0)) });
$("version").textContent = version();
translate();
for (const id of ["paste", "key", "config", "kind"]) $(id).addEventListener("input", soon(diagnose));
$("kind").addEventListener("change", diagnose);
$("keyfile").addEventListener("change", async () => {
  keyBytes = await readFile($("keyfile"));
  $("key").value = "";
  diagnose();
});
$("configfile").addEventListener("change", async () => {
  const b = await readFile($("configfile"));
  $("config").value = b ? new TextDecoder().decode(b) : "";
  diagnose();
});
$("query").addEventListener("input", soon(explain));
$("lang").addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  translate();
  diagnose();
  explain();
});
for (const q of ["errCode:6", "验签失败", "收不到回调", "钱没到企业资产", "InvalidKeySpecException"]) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = q;
  b.addEventListener("click", () => {
    $("query").value = q;
    explain();
  });
  $("chips").appendChild(b);
}
diagnose();
explain();
