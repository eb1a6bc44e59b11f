//! Loads the compiled runtime WASM blob and runs it in the real WASM executor (the one the node
//! uses): reads the runtime version and the metadata, and checks that every pallet is listed.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use codec::{Decode, Encode};
use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use polkadot_sdk::{
	sc_executor::RuntimeVersionOf, sp_core::OpaqueMetadata, sp_io::TestExternalities,
	sp_version::RuntimeVersion,
};

/// Every pallet the runtime must expose, by its name in the metadata.
const PALLETS: &[&str] = &[
	"System",
	"ParachainSystem",
	"Timestamp",
	"ParachainInfo",
	"WeightReclaim",
	"MultiBlockMigrations",
	"Balances",
	"TransactionPayment",
	"Utility",
	"Sudo",
	"Council",
	"CouncilMembership",
	"EhrGovernance",
	"Authorship",
	"CollatorSelection",
	"Session",
	"Aura",
	"AuraExt",
	"XcmpQueue",
	"PolkadotXcm",
	"CumulusXcm",
	"MessageQueue",
	"EhrIdentity",
	"EhrConsent",
	"EhrAudit",
	"EhrRecords",
	"EhrSponsor",
	"MetaTx",
	"VerifySignature",
];

/// Calls a runtime API function in WASM, on empty storage, and returns its SCALE-encoded result.
fn call(method: &str, input: &[u8]) -> Vec<u8> {
	common::wasm_call_raw(&mut TestExternalities::default(), method, input)
}

#[test]
fn wasm_runtime_reports_its_version() {
	let version = common::with_runtime_code(|code| {
		common::wasm_executor().runtime_version(&mut TestExternalities::default().ext(), code)
	})
	.expect("version");
	assert_eq!(version.spec_name, ehr_runtime::VERSION.spec_name);
	assert_eq!(version.spec_version, ehr_runtime::VERSION.spec_version);

	// The `Core_version` call agrees with the custom section the node reads (the API list may
	// come in another order).
	let called = RuntimeVersion::decode(&mut &call("Core_version", &[])[..]).expect("decodes");
	let sorted = |v: &RuntimeVersion| {
		let mut apis = v.apis.to_vec();
		apis.sort();
		apis
	};
	assert_eq!(sorted(&called), sorted(&version));
	assert_eq!((called.spec_name, called.spec_version), (version.spec_name, version.spec_version));
	// The omni-node needs the parachain id API; clients need versioned metadata (API v2+) and
	// the genesis builder.
	use polkadot_sdk::{
		cumulus_primitives_core::GetParachainInfo,
		sp_api::{Metadata, RuntimeApiInfo},
		sp_genesis_builder::GenesisBuilder,
	};
	type Block = ehr_runtime::Block;
	for (name, api, min_version) in [
		("GetParachainInfo", <dyn GetParachainInfo<Block>>::ID, 1),
		("Metadata", <dyn Metadata<Block>>::ID, 2),
		("GenesisBuilder", <dyn GenesisBuilder<Block>>::ID, 1),
	] {
		assert!(
			version.apis.iter().any(|(id, v)| *id == api && *v >= min_version),
			"{name} v{min_version}+ is missing"
		);
	}
}

#[test]
fn wasm_runtime_serves_metadata_v15_and_v16_listing_every_pallet() {
	let versions =
		Vec::<u32>::decode(&mut &call("Metadata_metadata_versions", &[])[..]).expect("decodes");
	assert!(versions.contains(&15), "metadata v15 is served: {versions:?}");

	for version in versions.iter().copied().filter(|v| *v >= 15) {
		let raw = call("Metadata_metadata_at_version", &version.encode());
		let opaque = Option::<OpaqueMetadata>::decode(&mut &raw[..])
			.expect("decodes")
			.unwrap_or_else(|| panic!("metadata v{version} is available"));
		let prefixed = RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("metadata decodes");
		let names: Vec<String> = match prefixed.1 {
			RuntimeMetadata::V15(m) => m.pallets.into_iter().map(|p| p.name).collect(),
			RuntimeMetadata::V16(m) => m.pallets.into_iter().map(|p| p.name).collect(),
			other => panic!("unexpected metadata version {}", other.version()),
		};
		for pallet in PALLETS {
			assert!(names.iter().any(|n| n == pallet), "v{version}: {pallet} missing in {names:?}");
		}
		assert_eq!(names.len(), PALLETS.len(), "v{version}: no unexpected pallets: {names:?}");
	}
}

#[test]
fn wasm_runtime_lists_both_genesis_presets() {
	let names = Vec::<polkadot_sdk::sp_genesis_builder::PresetId>::decode(
		&mut &call("GenesisBuilder_preset_names", &[])[..],
	)
	.expect("decodes");
	let names: Vec<String> =
		names.iter().map(|n| String::from_utf8_lossy(n.as_ref()).into()).collect();
	assert_eq!(names, ["development", "local_testnet"]);
}
