#!/usr/bin/env bash
# Starts a local network on this machine with zombienet (native provider): a relay chain of two
# validators (alice, bob; `ehr-relay`), and the EHR parachain 2000 with two collators (charlie,
# dave), a third collator the council can add (eve) and a full node that does not collate
# (ferdie). Ctrl-C stops every process it started.
#
# Usage: scripts/network.sh [--dir DIR] [--prepare-only]
#
#   --dir DIR        where the specs, node data and logs go (default: target/network)
#   --prepare-only   make the specs and write DIR/network.env (what the network test reads), then
#                    exit without starting anything
#
# It builds nothing but the relay runtime WASM (once, about 35 minutes cold: scripts/relay.sh);
# the binaries come from `cargo test --release --workspace` (or `cargo build --release -p ehr-node
# -p ehr-relay`). The parachain spec is made from network/consortium.toml by
# scripts/consortium-spec.py, exactly as a consortium makes its own.
set -euo pipefail
source "$(dirname "$0")/common.sh"

dir="$EHR_ROOT/target/network"
prepare_only=0
while [ $# -gt 0 ]; do
	case "$1" in
		--dir) [ $# -ge 2 ] || die "--dir needs a directory"; dir="$2"; shift 2 ;;
		--prepare-only) prepare_only=1; shift ;;
		-h|--help) sed -n '2,17p' "$0"; exit 0 ;;
		*) die "unknown argument '$1' (see --help)" ;;
	esac
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

relay_bin="$CARGO_TARGET_DIR/release/ehr-relay"
for bin in "$EHR_NODE_BIN" "$relay_bin" "$CARGO_TARGET_DIR/release/polkadot-prepare-worker" \
	"$CARGO_TARGET_DIR/release/polkadot-execute-worker"; do
	[ -x "$bin" ] || die "$bin not found: build with 'cargo test --release --locked --workspace --no-run'"
done

# The relay validators run parachain validation in the PVF workers, which sandbox themselves with
# landlock, seccomp and a private mount namespace. A validator refuses to start where the kernel
# or container forbids that, unless told to run them unsandboxed, which is acceptable for a local
# test network only.
insecure=""
worker="$CARGO_TARGET_DIR/release/polkadot-prepare-worker"
if ! "$worker" --check-can-enable-landlock >/dev/null 2>&1 ||
	! "$worker" --check-can-enable-seccomp >/dev/null 2>&1 ||
	! { "$worker" --check-can-unshare-user-namespace-and-change-root "$dir" >/dev/null 2>&1 ||
		"$worker" --check-can-do-secure-clone >/dev/null 2>&1; }; then
	insecure="--insecure-validator-i-know-what-i-do"
	log "this machine cannot sandbox the PVF workers: the relay validators run them unsandboxed (test network only)"
fi

log "relay chain spec (scripts/relay.sh)"
relay_spec="$("$EHR_ROOT/scripts/relay.sh" --out "$dir")"
require_python "the consortium spec"
log "parachain spec from network/consortium.toml (scripts/consortium-spec.py)"
python3 "$EHR_ROOT/scripts/consortium-spec.py" "$EHR_ROOT/network/consortium.toml" --out "$dir" \
	--node "$EHR_NODE_BIN" >&2 || die "consortium-spec.py failed"
para_spec="$dir/ehr_local_network.raw.json"

cat >"$dir/network.env" <<ENV
EHR_NODE_BIN=$EHR_NODE_BIN
EHR_RELAY_BIN=$relay_bin
EHR_RELAY_SPEC=$relay_spec
EHR_PARA_SPEC=$para_spec
EHR_RELAY_INSECURE=$insecure
EHR_NETWORK_CONFIG=$EHR_ROOT/network/zombienet.toml
ENV
if [ "$prepare_only" = 1 ]; then
	log "prepared $dir/network.env"
	exit 0
fi

# zombienet comes with the end-to-end tests' npm packages (e2e/package.json).
require_node "zombienet"
zombienet="$EHR_ROOT/e2e/node_modules/.bin/zombienet"
if [ ! -x "$zombienet" ]; then
	log "installing the e2e npm packages (zombienet, polkadot.js)"
	(cd "$EHR_ROOT/e2e" && npm install --no-save --no-audit --no-fund --loglevel=error) ||
		die "npm install failed"
fi

set -a
# shellcheck disable=SC1091
source "$dir/network.env"
set +a
cat >&2 <<MSG

  Endpoints once zombienet reports the network up (polkadot.js apps: https://polkadot.js.org/apps/?rpc=<endpoint>):
    relay chain      alice ws://127.0.0.1:9900   bob ws://127.0.0.1:9901
    EHR parachain    charlie (collator) ws://127.0.0.1:9944   dave (collator) ws://127.0.0.1:9945
                     eve (collator once the council adds it) ws://127.0.0.1:9946
                     ferdie (full node) ws://127.0.0.1:9947
  Logs: $dir/zombie/<node>.log

MSG
rm -rf "$dir/zombie"
exec "$zombienet" spawn --provider native --dir "$dir/zombie" --force "$EHR_NETWORK_CONFIG"
