#!/usr/bin/env bash
# Packs the npm package, installs the tarball into an empty project (no network: the package has
# no runtime dependencies) and runs `npx bdpay-doctor check` on the demo there; the demo has
# errors, so the exit code must be 1 and the report must name them. Prints the tarball's size
# and npx's cold start.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$root/npm" && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball=$(ls "$tmp"/bdpay-doctor-*.tgz)
echo "npm pack: $(basename "$tarball") $(du -k "$tarball" | cut -f1) KiB"
mkdir "$tmp/project" && cd "$tmp/project"
npm init -y >/dev/null
npm install --no-audit --no-fund --offline "$tarball" >/dev/null
start=$(date +%s%N)
npx --no-install bdpay-doctor --version >/dev/null
echo "npx bdpay-doctor --version, cold: $(( ($(date +%s%N) - start) / 1000000 )) ms"
set +e
start=$(date +%s%N)
npx --no-install bdpay-doctor check --config "$root/fixtures/demo/bdpay.toml" "$root/fixtures/demo/payloads" > out.txt 2> err.txt
code=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
set -e
echo "npx bdpay-doctor check on the demo: exit $code in $ms ms"
if [ "$code" != 1 ] || ! grep -q "SIG007" out.txt || ! grep -q "AMT001" out.txt; then
  echo "npm/test/pack.sh: expected exit 1 with SIG007 and AMT001 from the demo" >&2
  cat out.txt err.txt >&2
  exit 1
fi
# The JS API from the installed package.
node --input-type=module -e '
import { diagnose, explain, rules, version } from "bdpay-doctor";
const r = diagnose(`{"dealId":"470193086","appKey":"MMMabc","totalAmount":"0.01","tpOrderId":"1","dealTitle":"t","signFieldsRange":"1","rsaSign":"x","bizInfo":"{}"}`);
const codes = r.diagnostics.map((d) => d.code);
if (!codes.includes("AMT001") || r.exitCode !== 1) throw new Error(`API: ${JSON.stringify(codes)} ${r.exitCode}`);
if (!JSON.stringify(explain("errCode:6")).includes("errCode")) throw new Error("API: explain");
if (!rules({ lang: "zh" }).some((x) => x.code === "SIG007")) throw new Error("API: rules");
console.log(`JS API: diagnose -> ${codes.join(", ")} (exit ${r.exitCode}), version ${version()}`);
'
