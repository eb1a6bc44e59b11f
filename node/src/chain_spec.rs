//! The chain specs built into `ehr-node`.
//!
//! Each built-in chain is generated at start-up from the runtime WASM embedded in the binary and
//! one of the runtime's genesis presets, so the node and the runtime can never disagree about
//! genesis. A `--chain` value that is not a built-in name is read as a chain-spec JSON file.

use ehr_runtime::chain_properties::{RELAY_CHAIN_DEV, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL};
use polkadot_sdk::{
	polkadot_omni_node_lib::chain_spec::{ChainSpec, Extensions, GenericChainSpec, LoadSpec},
	sc_chain_spec::ChainType,
	sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET},
};
use std::path::Path;

/// The chain names `--chain` understands without a file (`--dev` means `dev`).
pub const BUILT_IN_CHAINS: [&str; 2] = ["dev", "local"];

/// Loads the built-in chain specs, or a chain-spec JSON file for any other id.
pub struct EhrChainSpecLoader;

impl LoadSpec for EhrChainSpecLoader {
	fn load_spec(&self, id: &str) -> Result<Box<dyn ChainSpec>, String> {
		match id {
			// `--dev` and no `--chain` at all both mean the development chain.
			"" | "dev" => {
				built_in("Development", "ehr-dev", ChainType::Development, DEV_RUNTIME_PRESET)
			},
			"local" => built_in(
				"Local Testnet",
				"ehr-local",
				ChainType::Local,
				LOCAL_TESTNET_RUNTIME_PRESET,
			),
			path => from_file(path),
		}
	}
}

fn built_in(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<Box<dyn ChainSpec>, String> {
	let wasm = ehr_runtime::WASM_BINARY
		.ok_or("this ehr-node was built without the runtime WASM (SKIP_WASM_BUILD was set)")?;
	let spec = GenericChainSpec::builder(
		wasm,
		Extensions::new(RELAY_CHAIN_DEV.into(), ehr_runtime::chain_properties::DEV_PARA_ID),
	)
	.with_name(&format!("EHR {name}"))
	.with_id(id)
	.with_chain_type(chain_type)
	.with_genesis_config_preset_name(preset)
	.with_properties(properties())
	.build();
	Ok(Box::new(spec))
}

fn from_file(path: &str) -> Result<Box<dyn ChainSpec>, String> {
	if !Path::new(path).is_file() {
		return Err(format!(
			"unknown chain `{path}`: it is neither a built-in chain ({}) nor a chain-spec JSON file",
			BUILT_IN_CHAINS.join(", ")
		));
	}
	let spec = GenericChainSpec::from_json_file(path.into())
		.map_err(|e| format!("cannot load chain spec `{path}`: {e}"))?;
	Ok(Box::new(spec))
}

/// Token properties that polkadot.js and other wallets read from `system_properties`.
pub fn properties() -> polkadot_sdk::sc_chain_spec::Properties {
	let mut p = polkadot_sdk::sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), SS58_PREFIX.into());
	p
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn built_in_chains_build_their_genesis() {
		for id in BUILT_IN_CHAINS {
			let spec = EhrChainSpecLoader.load_spec(id).unwrap_or_else(|e| panic!("{id}: {e}"));
			// Building the storage runs the runtime's genesis builder over the preset in WASM.
			let storage = spec.as_storage_builder().build_storage();
			assert!(storage.is_ok(), "{id}: {:?}", storage.err());
			assert_eq!(spec.properties().get("tokenSymbol"), Some(&TOKEN_SYMBOL.into()));
		}
	}

	#[test]
	fn unknown_chain_is_a_clear_error() {
		let err = EhrChainSpecLoader.load_spec("no-such-chain").err().unwrap_or_default();
		assert!(err.contains("unknown chain `no-such-chain`"), "{err}");
		assert!(err.contains("dev, local"), "{err}");
	}
}
