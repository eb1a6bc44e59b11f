#!/usr/bin/env bash
# How stable are the ratios to `transfer_keep_alive`? Runs the reference and a few EHR calls
# ROUNDS times (default 5), each run a fresh `ehr-node benchmark pallet` process over the same
# benchmark runtime, alternating which of the two goes first, and writes every run's measured
# execution time (the benchmark's intercept, without database weights) to
# docs/perf/stability.json; scripts/perf_report.py turns it into the "How stable the ratios are"
# section of docs/PERFORMANCE.md.
#
# Usage: scripts/bench-stability.sh [ROUNDS]   (needs the benchmark runtime of scripts/benchmark.sh)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ROUNDS="${1:-5}"
BENCH_TARGET="${EHR_BENCH_TARGET:-$HOME/.cache/ehr-chain/bench-target}"
WASM="${EHR_BENCH_WASM:-$BENCH_TARGET/release/wbuild/ehr-runtime/ehr_runtime.compact.compressed.wasm}"
[[ -x "$EHR_NODE_BIN" ]] || die "no ehr-node at $EHR_NODE_BIN: build it first"
[[ -f "$WASM" ]] || die "no benchmark runtime at $WASM: run scripts/benchmark.sh first"
require_python "the stability report"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

bench() { # pallet extrinsics output
	"$EHR_NODE_BIN" benchmark pallet --runtime "$WASM" --pallet "$1" --extrinsic "$2" \
		--steps 2 --repeat 20 --genesis-builder-preset development \
		--template "$EHR_ROOT/scripts/weight-template.hbs" --output "$3" >/dev/null 2>&1 \
		|| die "benchmark of $1 failed"
}

for round in $(seq 1 "$ROUNDS"); do
	dir="$OUT/$round"
	mkdir -p "$dir"
	reference() { bench pallet_balances transfer_keep_alive "$dir/reference.rs"; }
	ehr() {
		bench pallet_ehr_records anchor_record,amend_record "$dir/records.rs"
		bench pallet_ehr_consent grant_consent,revoke_consent "$dir/consent.rs"
	}
	if (( round % 2 )); then reference; ehr; else ehr; reference; fi
	log "stability round $round of $ROUNDS done"
done

python3 - "$OUT" "$ROUNDS" "$EHR_ROOT/docs/perf/stability.json" <<'EOF'
import json, sys
from pathlib import Path
sys.path.insert(0, str(Path(sys.argv[3]).resolve().parent.parent.parent / "scripts"))
from perf_report import parse
out, rounds, dest = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
runs = []
for r in range(1, rounds + 1):
    run = {"round": r, "referenceFirst": r % 2 == 1, "calls": {}}
    for f in ["reference.rs", "records.rs", "consent.rs"]:
        _, _, calls = parse(out / str(r) / f)
        for call, model in calls.items():
            reads = sum(c for k, c, comp in model["db"] if k == "reads" and comp is None)
            writes = sum(c for k, c, comp in model["db"] if k == "writes" and comp is None)
            run["calls"][call] = {"execPs": model["base"], "reads": reads, "writes": writes}
    runs.append(run)
dest.write_text(json.dumps({"rounds": rounds, "steps": 2, "repeat": 20, "runs": runs}, indent=2) + "\n")
EOF
python3 "$EHR_ROOT/scripts/perf_report.py"
log "wrote docs/perf/stability.json and docs/PERFORMANCE.md"
