#!/usr/bin/env bash
# Prepares the relay chain for a local network: the relay runtime's WASM and a relay chain spec.
#
# Usage: scripts/relay.sh [--out DIR]     (prints the relay spec's path on stdout)
#
# 1. The relay runtime is the registry's `rococo-runtime` of this polkadot-sdk release, built to
#    WASM from `relay/runtime-wasm/` in its own target directory (its features would otherwise
#    rebuild every FRAME crate of the main workspace) and cached as
#    $HOME/.cache/ehr-chain/relay/rococo_runtime_fast-<lock hash>.compact.compressed.wasm.
#    The crate's build script makes two blobs; this is the `fast-runtime` one (relay epochs of a
#    minute instead of an hour), what test networks use. Cold: about 30 minutes on 2 cores.
# 2. The spec is made by the chain-spec builder inside `ehr-node` from the runtime's
#    `local_testnet` preset (validators //Alice and //Bob, sudo //Alice, no parachains: zombienet
#    adds the EHR parachain to its genesis). Its id starts with `rococo`, which `ehr-relay` reads
#    as a Rococo chain.
#
# The relay node itself is `ehr-relay` (relay/node), built by `cargo test --workspace`.
set -euo pipefail
source "$(dirname "$0")/common.sh"

out="${EHR_NETWORK_DIR:-$EHR_ROOT/target/network}"
while [ $# -gt 0 ]; do
	case "$1" in
		--out) [ $# -ge 2 ] || die "--out needs a directory"; out="$2"; shift 2 ;;
		-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
		*) die "unknown argument '$1' (see --help)" ;;
	esac
done

relay_cache="$HOME/.cache/ehr-chain/relay"
lock_hash="$(sha256sum "$EHR_ROOT/relay/runtime-wasm/Cargo.lock" | cut -c1-12)"
wasm="$relay_cache/rococo_runtime_fast-$lock_hash.compact.compressed.wasm"
if [ ! -s "$wasm" ]; then
	log "building the relay runtime (rococo-runtime) to WASM, once: about 35 minutes cold"
	mkdir -p "$relay_cache"
	target="$HOME/.cache/ehr-chain/relay-target"
	# `cargo check` runs the runtime's build script, which builds the WASM blob, without
	# compiling the runtime natively.
	(cd "$EHR_ROOT/relay/runtime-wasm" &&
		CARGO_TARGET_DIR="$target" WASM_BUILD_WORKSPACE_HINT="$EHR_ROOT/relay/runtime-wasm" \
			cargo check --release --locked) >&2 || die "building the relay runtime failed"
	built="$target/release/wbuild/rococo-runtime/fast_runtime_binary.rs.compact.compressed.wasm"
	[ -s "$built" ] || die "the relay runtime build produced no $built"
	cp "$built" "$wasm.tmp" && mv "$wasm.tmp" "$wasm"
fi

[ -x "$EHR_NODE_BIN" ] || die "$EHR_NODE_BIN not found: build it first (cargo test --release --workspace --no-run)"
mkdir -p "$out"
spec="$out/relay.plain.json"
"$EHR_NODE_BIN" chain-spec-builder -c "$spec" create -r "$wasm" \
	-n "Rococo Local Testnet" -i rococo_local_testnet -t local named-preset local_testnet >&2 ||
	die "making the relay chain spec failed"
echo "$spec"
