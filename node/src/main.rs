//! `ehr-node`: the collator and RPC node of the EHR consortium chain.
//!
//! The node is a thin binary on top of `polkadot-omni-node-lib`: the library provides the whole
//! collator service (Aura, the relay-chain interface, RPC, the `--dev` manual-seal mode and the
//! usual subcommands). This crate only adds:
//!
//! * the chain specs that are built into the binary ([`chain_spec`]): `dev`, `local` and the
//!   consortium presets, generated from the runtime WASM and its genesis presets;
//! * the binary's name, version and support information ([`EhrCli`]);
//! * `benchmark pallet` without rebuilding the node with `runtime-benchmarks` ([`benchmark`]).
//!
//! Any other `--chain` value is read as a path to a chain-spec JSON file.

#![warn(missing_docs)]

mod benchmark;
mod chain_spec;

use polkadot_sdk::polkadot_omni_node_lib::{
	run, runtime::DefaultRuntimeResolver, CliConfig, RunConfig,
};

/// Binary metadata shown by `ehr-node --help` and `--version`.
pub struct EhrCli;

impl CliConfig for EhrCli {
	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description(executable_name: String) -> String {
		format!(
			"EHR consortium chain node.\n\n\
			Built-in chains: {}. Any other --chain value is read as a chain-spec JSON file.\n\n\
			Arguments after -- are passed to the embedded relay-chain node:\n\n\
			{executable_name} [parachain-args] -- [relay-chain-args]",
			chain_spec::BUILT_IN_CHAINS.join(", "),
		)
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/ehr-chain/issues".into()
	}

	fn copyright_start_year() -> u16 {
		2026
	}
}

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	let args: Vec<String> = std::env::args().collect();
	if let Some(rest) = benchmark::pallet_args(&args) {
		return benchmark::run_pallet(rest);
	}
	let config =
		RunConfig::new(Box::new(DefaultRuntimeResolver), Box::new(chain_spec::EhrChainSpecLoader));
	run::<EhrCli>(config)
}
