#!/usr/bin/env bash
# The lints of the test command, each enforced by a tool:
# - taplo: every TOML file formatted as .config/taplo.toml says (`@taplo/cli` from e2e/);
# - zepter: every crate that enables `std`, `try-runtime` or `runtime-benchmarks` passes it on to
#   each dependency that has the feature (.config/zepter.yaml);
# - clippy: the workspace lints of Cargo.toml (no unwrap, expect, indexing or unchecked arithmetic
#   outside tests; each pallet raises them to `deny`), every warning an error, on every target,
#   with the default features and again with `try-runtime` and `runtime-benchmarks`, whose code
#   (the `try_state` checks, the benchmarks) the default build does not compile.
#
#   scripts/lint.sh          # all three
#   scripts/lint.sh --fix    # taplo and zepter rewrite what they can; clippy is only reported
#
# clippy checks in its own target directory, ~/.cache/ehr-chain/clippy-target (a check build:
# no code generation, no runtime WASM); zepter 1.88.2 is installed once into
# ~/.cache/ehr-chain/tools.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cd "$EHR_ROOT"

ZEPTER="$(cargo_tool zepter 1.88.2)"
TAPLO="$EHR_ROOT/e2e/node_modules/.bin/taplo"
if [ ! -x "$TAPLO" ]; then
	require_node "taplo"
	(cd e2e && npm install --no-save --no-audit --no-fund --loglevel=error)
fi

if [ "${1:-}" = "--fix" ]; then
	"$TAPLO" fmt --config .config/taplo.toml
	"$ZEPTER" run default --config .config/zepter.yaml
	exit 0
fi

log "taplo: TOML formatting"
"$TAPLO" fmt --config .config/taplo.toml --check 2>/dev/null ||
	die "TOML files are not formatted: run 'scripts/lint.sh --fix' (taplo fmt --config .config/taplo.toml)"

log "zepter: feature propagation"
"$ZEPTER" run check --config .config/zepter.yaml ||
	die "features do not propagate: run 'scripts/lint.sh --fix'"

# Lints are capped at `warn` in the workspace's crates so that one crate's denied lint does not
# stop the crates that depend on it from being checked; scripts/clippy_gate.py then fails on any
# warning left (with one narrow exemption for FRAME's macro expansions, see there).
clippy() {
	# Inside `if`, so that `set -e` lets a failed pipeline reach the messages below.
	if ! SKIP_WASM_BUILD=1 CARGO_TARGET_DIR="$HOME/.cache/ehr-chain/clippy-target" \
		cargo clippy --locked --keep-going --all-targets --message-format=json "$@" -- --cap-lints warn |
		python3 "$EHR_ROOT/scripts/clippy_gate.py"; then
		local status=("${PIPESTATUS[@]}")
		[ "${status[0]}" = 0 ] || die "cargo clippy failed to check the code (exit ${status[0]})"
		die "clippy found what the workspace lints forbid (above)"
	fi
}
log "clippy (workspace lints, warnings are errors)"
clippy --workspace
# The runtime and the pallets only: the node's benchmarking glue is the SDK's.
log "clippy --features try-runtime,runtime-benchmarks (the runtime and the pallets)"
clippy -p ehr-runtime -p ehr-primitives -p pallet-ehr-identity -p pallet-ehr-consent -p pallet-ehr-audit \
	-p pallet-ehr-records -p pallet-ehr-governance -p pallet-ehr-sponsor \
	--features try-runtime,runtime-benchmarks
