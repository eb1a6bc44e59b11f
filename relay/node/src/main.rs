//! `ehr-relay`: Polkadot's relay-chain node, built from `polkadot-cli` without native runtimes.
//!
//! It runs a relay chain from a JSON chain spec (`--chain relay.json`), such as the one
//! `scripts/relay.sh` makes from the Rococo runtime's `local_testnet` preset. Its validators
//! run parachain validation in the two PVF workers built beside it
//! (`polkadot-prepare-worker`, `polkadot-execute-worker`), which must stay in the same
//! directory. Every command and flag is Polkadot's (`ehr-relay --help`).

fn main() {
	if let Err(error) = polkadot_cli::run() {
		eprintln!("Error: {error}");
		std::process::exit(1);
	}
}
