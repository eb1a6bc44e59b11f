#!/usr/bin/env bash
# Sets up the machine, builds `ehr-node` and starts a development chain that authors blocks on its
# own, with RPC on ws://127.0.0.1:9944 for polkadot.js apps.
#
# Usage: scripts/run-dev.sh [--chain dev|local|<chain-spec.json>] [--rpc-port N] [--base-path DIR] [--fresh] [-- <more ehr-node args>]
#
# The chain's database stays in the base path (default ~/.local/share/ehr-chain/<chain>) across
# restarts: Ctrl-C and start again, and the chain goes on from its last block. --fresh deletes
# that chain's database first and starts again from genesis.
set -euo pipefail
source "$(dirname "$0")/common.sh"

chain=dev
rpc_port=9944
base_path=""
fresh=0
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
		--chain) [ $# -ge 2 ] || die "--chain needs a value"; chain="$2"; shift 2 ;;
		--rpc-port) [ $# -ge 2 ] || die "--rpc-port needs a value"; rpc_port="$2"; shift 2 ;;
		--base-path) [ $# -ge 2 ] || die "--base-path needs a directory"; base_path="$2"; shift 2 ;;
		--fresh) fresh=1; shift ;;
		-h|--help) sed -n '2,10p' "$0"; exit 0 ;;
		--) shift; extra=("$@"); break ;;
		*) die "unknown argument '$1' (see --help)" ;;
	esac
done

case "$chain" in
	dev|local) ;;
	*) [ -f "$chain" ] || die "chain spec '$chain' not found: use dev, local or the path of a chain-spec JSON file" ;;
esac
[[ "$rpc_port" =~ ^[0-9]+$ ]] && [ "$rpc_port" -ge 1 ] && [ "$rpc_port" -le 65535 ] ||
	die "--rpc-port must be a number from 1 to 65535, got '$rpc_port'"
if (exec 3<>"/dev/tcp/127.0.0.1/$rpc_port") 2>/dev/null; then
	die "port $rpc_port is already in use (another node running?): stop it or pass --rpc-port N"
fi

build_node

base_path="${base_path:-$HOME/.local/share/ehr-chain/$(basename "$chain" .json)}"
mkdir -p "$base_path" || die "cannot create the base path $base_path"
if [ "$chain" = dev ]; then
	args=(--dev --base-path "$base_path")
	chain_arg=(--dev)
else
	# `local` has two collators: this node is Alice; it authors in Alice's slots only once it is
	# attached to a relay chain. Use `dev` to see blocks without a relay chain.
	args=(--chain "$chain" --alice --base-path "$base_path")
	chain_arg=(--chain "$chain")
fi
if [ "$fresh" = 1 ]; then
	log "--fresh: deleting the chain's database in $base_path"
	"$EHR_NODE_BIN" purge-chain "${chain_arg[@]}" --base-path "$base_path" -y >/dev/null ||
		die "purge-chain failed"
fi
log "chain database: $base_path (kept across restarts; --fresh starts from genesis)"
log "starting ehr-node ${args[*]} (RPC ws://127.0.0.1:$rpc_port); Ctrl-C stops it"
log "polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port"
exec "$EHR_NODE_BIN" "${args[@]}" --rpc-port "$rpc_port" --rpc-cors all "${extra[@]}"
