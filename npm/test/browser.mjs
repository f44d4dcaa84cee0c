// The paste page in a real headless Chromium (Debian's, driven by playwright-core): paste a
// fixture and see the native CLI's codes, click a card and see its span highlighted, switch to
// Chinese, load a key file and see "verified", and prove no request is made after load. Prints
// the time from paste to findings for the demo payloads and saves a screenshot.
//   node npm/test/browser.mjs target/debug/bdpay-doctor [screenshot.png]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const native = path.resolve(process.argv[2] || "target/debug/bdpay-doctor");
const shot = path.resolve(process.argv[3] || path.join(root, "target/page.png"));
const page_ = path.join(root, "npm/dist/bdpay-doctor.html");
const chrome = process.env.CHROMIUM || "/usr/bin/chromium";
for (const [what, p] of [["native binary", native], ["built page", page_], ["chromium", chrome]]) {
  if (!fs.existsSync(p)) throw new Error(`no ${what} at ${p}`);
}
const demo = (f) => path.join(root, "fixtures/demo", f);
const nativeCodes = (text) => {
  const r = spawnSync(native, ["diagnose", "-", "--format", "json"], { input: text, encoding: "utf8" });
  return JSON.parse(r.stdout).diagnostics.map((d) => [d.code, d.span, d.file]);
};
const check = (ok, what) => {
  if (!ok) throw new Error(`browser test: ${what}`);
  console.log(`  ok: ${what}`);
};

const browser = await chromium.launch({
  executablePath: chrome,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ locale: "en-US", viewport: { width: 1360, height: 1000 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const t0 = Date.now();
  await page.goto(`file://${page_}`, { waitUntil: "load" });
  await page.waitForSelector("#version:not(:empty)");
  const loadMs = Date.now() - t0;
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  check((await page.textContent("#privacy")).includes("Nothing leaves this page"), "the page says nothing leaves it");

  // Paste and wait for the findings.
  const paste = async (text) => {
    const before = await page.evaluate(() => document.body.dataset.done || "");
    const start = Date.now();
    await page.fill("#paste", text);
    await page.waitForFunction((b) => (document.body.dataset.done || "") !== b, before);
    return { wall: Date.now() - start, engine: Number(await page.evaluate(() => document.body.dataset.ms)) };
  };
  const order = fs.readFileSync(demo("payloads/order.js"), "utf8");
  await paste(order);
  const want = nativeCodes(order);
  const got = await page.$$eval("#cards .card", (cs) => cs.map((c) => c.dataset.code));
  check(JSON.stringify(got) === JSON.stringify(want.map((w) => w[0])), `order.js shows the CLI's codes ${want.map((w) => w[0]).join(", ")} (got ${got.join(", ")})`);

  // Click a card: its span is highlighted, and it is the span the CLI reports.
  const first = want.findIndex((w) => w[2] === "<stdin>");
  await page.click(`#cards .card:nth-child(${first + 1})`);
  const marked = await page.textContent("#view mark.active");
  const bytes = Buffer.from(order);
  const span = want[first][1];
  const expected = bytes.subarray(span.offset, span.offset + Math.max(span.length, 1)).toString();
  check(marked === expected, `clicking ${want[first][0]} highlights its span ${JSON.stringify(expected.slice(0, 40))}`);

  // Chinese.
  await page.click("#lang");
  await page.waitForFunction(() => document.documentElement.lang === "zh-CN");
  await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.querySelector("#cards .card .msg")?.textContent || ""));
  check(true, "the zh switch shows the findings in Chinese");
  check((await page.textContent("#privacy")).includes("不会离开"), "the privacy note is in Chinese");
  await page.click("#lang");

  // A key file: the platform-signed demo notify verifies.
  await page.click("#keys summary");
  await page.setInputFiles("#keyfile", demo("keys/platform_public_key.pem"));
  await paste(fs.readFileSync(demo("payloads/notify.form"), "utf8"));
  await page.waitForSelector("#signature.verified");
  check((await page.textContent("#signature")).includes("verified"), "a key file from the picker verifies the demo notify");

  // Explain.
  await page.fill("#query", "errCode:6");
  await page.waitForFunction(() => (document.querySelector("#answer").textContent || "").includes("errCode:6"));
  check(true, "explain answers errCode:6");
  // A pasted error object and a Chinese symptom are searched, the best entry first.
  await page.fill("#query", '{errCode: 6, errMsg: "requestPolymerPayment:fail 请求签名错误"}');
  await page.waitForFunction(() => (document.querySelector("#answer").textContent || "").startsWith("# errCode:6"));
  check(true, "explain finds errCode:6 from a pasted error object");
  await page.fill("#query", "钱没到企业资产");
  await page.waitForFunction(() => (document.querySelector("#answer").textContent || "").includes("企业资产"));
  check(true, "explain finds a Chinese symptom");

  // Time from paste to findings for each demo payload.
  const times = [];
  for (const f of fs.readdirSync(demo("payloads")).sort()) {
    const t = await paste(fs.readFileSync(demo(`payloads/${f}`), "utf8"));
    times.push(`${f} ${t.engine} ms engine / ${t.wall} ms paste-to-render`);
  }
  // The screenshot: the demo order with the developer public key, its first finding clicked.
  await page.setInputFiles("#keyfile", demo("keys/rsa_public_key.pem"));
  await paste(order);
  await page.click(`#cards .card:nth-child(${first + 1})`);
  fs.mkdirSync(path.dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: false });
  check(errors.length === 0, `no script errors${errors.length ? `: ${errors.join("; ")}` : ""}`);
  check(requests.length === 0, `no request after load${requests.length ? `: ${requests.join(", ")}` : ""}`);
  console.log(`page loaded (wasm compiled, first render) in ${loadMs} ms`);
  for (const t of times) console.log(`  ${t}`);
  console.log(`screenshot: ${path.relative(root, shot)}`);
} finally {
  await browser.close();
}
