#!/usr/bin/env bash
# Runs the runtime benchmarks of the EHR pallets and writes their `weights.rs`; also measures
# `pallet_balances::transfer_keep_alive` in the same run and prints every call's weight as a
# ratio of it (written to docs/benchmarks.md).
#
# Usage: scripts/benchmark.sh [--quick]
#   --quick   2 steps, 2 repeats: checks that every benchmark runs; the weights are not kept.
#
# It builds the runtime WASM with `--features runtime-benchmarks` in its own target directory
# (EHR_BENCH_TARGET, default ~/.cache/ehr-chain/bench-target) and installs `frame-omni-bencher`
# (the polkadot-sdk benchmark runner, same release as the runtime) under ~/.cache/ehr-chain/tools.
# Cold, each takes about 30 minutes on 2 cores; later runs reuse them. EHR_BENCH_WASM=<path> uses
# an already built benchmark runtime instead of building one.
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

TOOLS="${EHR_TOOLS:-$HOME/.cache/ehr-chain/tools}"
BENCHER="$TOOLS/bin/frame-omni-bencher"
BENCHER_VERSION="0.28.0" # frame-omni-bencher of polkadot-sdk stable2609, like the runtime
if ! "$BENCHER" --version 2>/dev/null | grep -q "$BENCHER_VERSION"; then
	log "installing frame-omni-bencher $BENCHER_VERSION into $TOOLS (cold: ~30 min)"
	CARGO_TARGET_DIR="$HOME/.cache/ehr-chain/bencher-target" \
		cargo install frame-omni-bencher --version "$BENCHER_VERSION" --locked --root "$TOOLS" \
		|| die "installing frame-omni-bencher failed"
fi

BENCH_TARGET="${EHR_BENCH_TARGET:-$HOME/.cache/ehr-chain/bench-target}"
WASM="${EHR_BENCH_WASM:-$BENCH_TARGET/release/wbuild/ehr-runtime/ehr_runtime.compact.compressed.wasm}"
if [[ -z "${EHR_BENCH_WASM:-}" ]]; then
	log "building the runtime with runtime-benchmarks in $BENCH_TARGET"
	(cd "$EHR_ROOT" && CARGO_TARGET_DIR="$BENCH_TARGET" WASM_BUILD_WORKSPACE_HINT="$EHR_ROOT" \
		cargo build --release --locked -p ehr-runtime --features runtime-benchmarks) \
		|| die "building the benchmark runtime failed"
fi
[[ -f "$WASM" ]] || die "no runtime WASM at $WASM"

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

bench() { # pallet extrinsics weights.rs
	log "benchmarking $1 ($2)"
	"$BENCHER" v1 benchmark pallet --runtime "$WASM" --pallet "$1" --extrinsic "$2" \
		--steps "$STEPS" --repeat "$REPEAT" --genesis-builder-preset development \
		--template "$EHR_ROOT/scripts/weight-template.hbs" --output "$3" >&2 \
		|| die "benchmark of $1 failed"
}

# The reference, measured in the same run on the same machine.
bench pallet_balances transfer_keep_alive "$OUT/balances.rs"
PALLETS=(identity consent audit records governance)
for pallet in "${PALLETS[@]}"; do
	dest="$EHR_ROOT/pallets/$pallet/src/weights.rs"
	[[ "$KEEP" == 1 ]] || dest="$OUT/$pallet.rs"
	bench "pallet_ehr_$pallet" '*' "$dest"
	cp "$dest" "$OUT/$pallet.rs" 2>/dev/null || true
done

files=()
for pallet in "${PALLETS[@]}"; do files+=("$OUT/$pallet.rs"); done
REPORT="$EHR_ROOT/docs/benchmarks.md"
[[ "$KEEP" == 1 ]] || REPORT="$OUT/benchmarks.md"
python3 "$EHR_ROOT/scripts/bench_report.py" --steps "$STEPS" --repeat "$REPEAT" \
	"$OUT/balances.rs" "${files[@]}" > "$REPORT"
cat "$REPORT"
if [[ "$KEEP" == 1 ]]; then log "wrote pallets/*/src/weights.rs and docs/benchmarks.md"; fi
