#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the fixtures: `bash fuzz/seed.sh`, then
# `RUSTC_BOOTSTRAP=1 cargo fuzz run TARGET -- -max_total_time=300` from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
for t in payload keys config answer audit_line; do mkdir -p "fuzz/corpus/$t"; done
n=0
while IFS= read -r f; do
  n=$((n + 1))
  case "$f" in
    *.pem|*.key) cp "$f" "fuzz/corpus/keys/$n" ;;
    *bdpay.toml) cp "$f" "fuzz/corpus/config/$n" ;;
    *.scenario.toml|*.csv|*.md|*.gz) ;;
    *response*) cp "$f" "fuzz/corpus/answer/$n"; cp "$f" "fuzz/corpus/payload/$n" ;;
    *) cp "$f" "fuzz/corpus/payload/$n" ;;
  esac
done < <(find fixtures -type f | sort)
split -l 1 -d -a 4 fixtures/audit/callbacks.ndjson fuzz/corpus/audit_line/line-
echo "seeded: $(for t in payload keys config answer audit_line; do printf '%s %s  ' "$t" "$(ls fuzz/corpus/$t | wc -l)"; done)"
