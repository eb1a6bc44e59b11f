#!/usr/bin/env bash
# Benchmarks every EHR pallet over the real runtime WASM and writes the weights the runtime uses
# (pallets/*/src/weights.rs), with `pallet_balances::transfer_keep_alive` measured in the same
# run as the reference (docs/perf/reference_weights.rs); then regenerates docs/PERFORMANCE.md.
#
# Usage: scripts/benchmark.sh [--quick]
#   --quick   2 steps, 2 repeats: checks that every benchmark runs on the real runtime, that
#             the report can be generated from its output, and that the committed weight files
#             still match the code (each call's storage reads and writes, which do not depend on
#             the machine or the steps, as the benchmarks record them now); nothing in the
#             repository changes. CI runs this and fails on stale weights.
#
# The runner is `ehr-node benchmark pallet`: polkadot-sdk's `frame-benchmarking-cli` pallet
# command inside this chain's node (node/src/benchmark.rs), the same runner `frame-omni-bencher`
# wraps. The runtime is built with `--features runtime-benchmarks` in its own target directory
# (EHR_BENCH_TARGET, default ~/.cache/ehr-chain/bench-target): its native half is only
# type-checked (`cargo check`), its WASM is built in full by the runtime's build script.
# EHR_BENCH_WASM=<path> uses an already built benchmark runtime instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STEPS=50
REPEAT=20
KEEP=1
case "${1:-}" in
	"") ;;
	--quick) STEPS=2; REPEAT=2; KEEP=0 ;;
	*) die "unknown argument '$1' (usage: scripts/benchmark.sh [--quick])" ;;
esac

if [[ ! -x "$EHR_NODE_BIN" ]]; then
	log "building ehr-node (the benchmark runner)"
	(cd "$EHR_ROOT" && cargo build --release --locked --workspace) || die "building ehr-node failed"
fi

BENCH_TARGET="${EHR_BENCH_TARGET:-$HOME/.cache/ehr-chain/bench-target}"
WASM="${EHR_BENCH_WASM:-$BENCH_TARGET/release/wbuild/ehr-runtime/ehr_runtime.compact.compressed.wasm}"
if [[ -z "${EHR_BENCH_WASM:-}" ]]; then
	log "building the runtime WASM with runtime-benchmarks in $BENCH_TARGET"
	(cd "$EHR_ROOT" && CARGO_TARGET_DIR="$BENCH_TARGET" WASM_BUILD_WORKSPACE_HINT="$EHR_ROOT" \
		cargo check --release --locked -p ehr-runtime --features runtime-benchmarks) \
		|| die "building the benchmark runtime failed"
fi
[[ -f "$WASM" ]] || die "no runtime WASM at $WASM"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

bench() { # pallets extrinsics output (a file, or a directory for one file per pallet)
	log "benchmarking $1 ($2), steps $STEPS, repeat $REPEAT"
	"$EHR_NODE_BIN" benchmark pallet --runtime "$WASM" --pallet "$1" --extrinsic "$2" \
		--steps "$STEPS" --repeat "$REPEAT" --genesis-builder-preset development \
		--template "$EHR_ROOT/scripts/weight-template.hbs" --output "$3" >&2 \
		|| die "benchmark of $1 failed"
}

# Where the outputs go: the repository (full mode) or a copy of it (quick mode), so the report
# generator reads the same paths either way.
if [[ "$KEEP" == 1 ]]; then
	DEST="$EHR_ROOT"
else
	DEST="$OUT/repo"
	mkdir -p "$DEST/docs/perf" "$DEST/scripts"
	cp "$EHR_ROOT/docs/perf/load-test.json" "$EHR_ROOT/docs/perf/load-test.txt" "$DEST/docs/perf/"
	cp "$EHR_ROOT/scripts/perf_report.py" "$DEST/scripts/"
	# The report reads the bulk calls' bounds and the database weights from the runtime.
	mkdir -p "$DEST/runtime/src/configs"
	cp "$EHR_ROOT/runtime/src/configs/ehr.rs" "$EHR_ROOT/runtime/src/configs/mod.rs" "$DEST/runtime/src/configs/"
	cp "$EHR_ROOT/runtime/src/db_weights.rs" "$DEST/runtime/src/"
	cp "$EHR_ROOT/docs/perf/storage.json" "$DEST/docs/perf/"
	if [[ -f "$EHR_ROOT/docs/perf/load-test-network.json" ]]; then
		cp "$EHR_ROOT/docs/perf/load-test-network."* "$DEST/docs/perf/"
	fi
fi

# The reference, measured in the same run on the same machine.
bench pallet_balances transfer_keep_alive "$DEST/docs/perf/reference_weights.rs"
PALLETS=(identity consent audit records governance sponsor)
# One run for every EHR pallet: the runtime is loaded and compiled once.
mkdir -p "$OUT/weights"
bench "$(printf 'pallet_ehr_%s,' "${PALLETS[@]}" | sed 's/,$//')" '*' "$OUT/weights/"
for pallet in "${PALLETS[@]}"; do
	mkdir -p "$DEST/pallets/$pallet/src"
	cp "$OUT/weights/pallet_ehr_$pallet.rs" "$DEST/pallets/$pallet/src/weights.rs" \
		|| die "no weights were written for pallet_ehr_$pallet"
done

require_python "the performance report"
if [[ "$KEEP" == 0 ]]; then
	python3 "$DEST/scripts/perf_report.py" --compare-weights "$EHR_ROOT" \
		|| die "the committed weights are stale: run scripts/benchmark.sh and commit its output"
fi
python3 "$DEST/scripts/perf_report.py" || die "generating the report failed"
if [[ "$KEEP" == 1 ]]; then
	log "wrote pallets/*/src/weights.rs, docs/perf/reference_weights.rs and docs/PERFORMANCE.md"
else
	grep -A3 '^| Target' "$DEST/docs/PERFORMANCE.md" >&2 || true
	log "quick benchmark run passed: every benchmark ran on the real runtime (weights not kept)"
fi
