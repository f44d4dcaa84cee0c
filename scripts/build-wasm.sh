#!/usr/bin/env bash
# Builds the WebAssembly engine (crates/bdpay-wasm: the CLI without its native part), its
# JavaScript glue into npm/dist, and the self-contained paste page npm/dist/bdpay-doctor.html.
# Needs wasm-bindgen-cli at the version crates/bdpay-wasm pins (.ci/run installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' crates/bdpay-wasm/Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
if [ "$have" != "$want" ]; then
  echo "scripts/build-wasm.sh: wasm-bindgen-cli $want is needed (found: ${have:-none});" >&2
  echo "  cargo install wasm-bindgen-cli --version $want" >&2
  exit 1
fi
cargo build --locked --profile wasm -p bdpay-wasm --target wasm32-unknown-unknown
wasm-bindgen --target web --no-typescript --out-dir npm/dist \
  target/wasm32-unknown-unknown/wasm/bdpay_wasm.wasm
node web/build.mjs
