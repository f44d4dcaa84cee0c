// Compiled with `tsc --noEmit --strict` by .ci/run: the API's declared types are the ones a
// TypeScript caller writes against.
import { check, diagnose, explain, keysInspect, rules, run, sign, verify, version } from "bdpay-doctor";

const report = diagnose("{}", { key: "-----BEGIN PUBLIC KEY-----", lang: "zh", select: ["SIG"] });
const codes: string[] = report.diagnostics.map((d) => `${d.code} ${d.span.offset}+${d.span.length}`);
const exit: number = report.exitCode;
const ci = check({ config: "[merchant]", payloads: { "order.json": new Uint8Array() }, failOn: "warning" });
const catalogue: string[] = rules().map((r) => r.code);
const out: string = run(["explain", "errCode:6"], { stdin: "" }).stdout;
const best: string | undefined = explain("验签失败").matches[0]?.id;
const known: number = explain().symptoms.length;
verify("a=1", { kind: "notify" });
sign("a=1", { key: "k", kind: "refund-apply" });
keysInspect(new Uint8Array());
const v: string = version();
export { best, catalogue, ci, codes, exit, known, out, v };
