#!/usr/bin/env bash
# Sets up the machine, builds `ehr-node` and starts a development chain that authors blocks on its
# own, with RPC on ws://127.0.0.1:9944 for polkadot.js apps.
#
# Usage: scripts/run-dev.sh [--chain dev|local|<chain-spec.json>] [--rpc-port N] [-- <more ehr-node args>]
set -euo pipefail
source "$(dirname "$0")/common.sh"

chain=dev
rpc_port=9944
extra=()
while [ $# -gt 0 ]; do
	case "$1" in
		--chain) [ $# -ge 2 ] || die "--chain needs a value"; chain="$2"; shift 2 ;;
		--rpc-port) [ $# -ge 2 ] || die "--rpc-port needs a value"; rpc_port="$2"; shift 2 ;;
		-h|--help) sed -n '2,6p' "$0"; exit 0 ;;
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

if [ "$chain" = dev ]; then
	args=(--dev)
else
	# `local` has two collators: this node is Alice; it authors in Alice's slots only once it is
	# attached to a relay chain. Use `dev` to see blocks without a relay chain.
	args=(--chain "$chain" --alice --tmp)
fi
log "starting ehr-node ${args[*]} (RPC ws://127.0.0.1:$rpc_port); Ctrl-C stops it"
log "polkadot.js apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A$rpc_port"
exec "$EHR_NODE_BIN" "${args[@]}" --rpc-port "$rpc_port" --rpc-cors all "${extra[@]}"
