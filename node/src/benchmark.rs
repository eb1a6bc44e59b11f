//! `ehr-node benchmark pallet …`: polkadot-sdk's pallet benchmark runner, in this binary.
//!
//! `polkadot-omni-node-lib` offers the same subcommand only when the whole node is compiled with
//! `--features runtime-benchmarks`, which rebuilds the SDK's client crates (about 40 minutes on
//! a 2-core machine). The runner itself, `frame_benchmarking_cli::PalletCmd`, does not need that
//! feature: the benchmarks live in the runtime WASM given with `--runtime`, which must be built
//! with `runtime-benchmarks` (see `scripts/benchmark.sh`). So this binary hands
//! `benchmark pallet` to `PalletCmd` exactly as `frame-omni-bencher v1 benchmark pallet` does
//! (same hasher, same extra host functions as the node's executor), and every other subcommand to
//! the omni-node library.

use polkadot_sdk::{
	cumulus_primitives_proof_size_hostfunction::storage_proof_size,
	frame_benchmarking_cli::PalletCmd,
	sc_cli::{self, clap::Parser},
	sp_runtime::traits::BlakeTwo256,
};

/// Host functions the runtime imports beyond `sp_io`'s and the benchmarking ones, which
/// `PalletCmd` always adds: the proof-size host function of `cumulus-pallet-weight-reclaim`.
type ExtraHostFunctions = (storage_proof_size::HostFunctions,);

/// The arguments after `benchmark pallet`, if the command line starts with them.
pub fn pallet_args(args: &[String]) -> Option<&[String]> {
	match args {
		[_, benchmark, pallet, rest @ ..] if benchmark == "benchmark" && pallet == "pallet" => {
			Some(rest)
		},
		_ => None,
	}
}

/// Runs `benchmark pallet` with `args` (what follows `benchmark pallet` on the command line).
pub fn run_pallet(args: &[String]) -> sc_cli::Result<()> {
	let name = "ehr-node benchmark pallet".to_string();
	let cmd = PalletCmd::parse_from(core::iter::once(&name).chain(args));
	sc_cli::LoggerBuilder::new("").init()?;
	if cmd.shared_params.chain.is_some() {
		return Err("`ehr-node benchmark pallet` takes the runtime with `--runtime <wasm>` and a \
			genesis preset with `--genesis-builder-preset`, not `--chain`"
			.into());
	}
	cmd.run_with_spec::<BlakeTwo256, ExtraHostFunctions>(None)
}

#[cfg(test)]
mod tests {
	use super::pallet_args;

	fn args(line: &str) -> Vec<String> {
		line.split_whitespace().map(String::from).collect()
	}

	#[test]
	fn only_benchmark_pallet_is_taken_over() {
		let line = args("ehr-node benchmark pallet --pallet x --extrinsic *");
		assert_eq!(pallet_args(&line), Some(&line[3..]));
		assert_eq!(pallet_args(&args("ehr-node benchmark pallet")), Some(&[][..]));
		for other in [
			"ehr-node",
			"ehr-node --dev",
			"ehr-node benchmark",
			"ehr-node benchmark block --chain dev",
			"ehr-node benchmark storage",
			"ehr-node pallet benchmark",
			"ehr-node --chain dev benchmark pallet",
		] {
			assert_eq!(pallet_args(&args(other)), None, "{other}");
		}
	}
}
