//! # EHR consortium chain runtime
//!
//! A Cumulus parachain runtime for a consortium of hospitals, clinics, laboratories and insurers.
//! This file only assembles the runtime: the constants are in [`constants`], each pallet's
//! configuration in [`configs`], the runtime APIs in `apis.rs` and the genesis presets in
//! [`genesis_config_presets`].
//!
//! No personal health information is ever stored on chain: the EHR pallets keep pseudonymous
//! identifiers, fixed-size codes and salted digests only.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` recurses deeply.
#![recursion_limit = "256"]

// The WASM blob, built by `build.rs`.
#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;
mod apis;
pub mod configs;
pub mod constants;
pub mod db_weights;
pub mod genesis_config_presets;
pub mod migrations;

use polkadot_sdk::{
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	sp_version::RuntimeVersion,
	*,
};

pub use apis::RUNTIME_API_VERSIONS;
// The umbrella publishes these crates under their package names.
pub use constants::chain_properties;
pub use polkadot_sdk::sp_consensus_aura::sr25519::AuthorityId as AuraId;
use polkadot_sdk::staging_parachain_info as parachain_info;

/// A signature on the chain (sr25519, ed25519 or ecdsa).
pub type Signature = MultiSignature;
/// An account's identifier: the public key behind its signatures.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// A balance of the chain's token.
pub type Balance = u128;
/// A transaction index.
pub type Nonce = u32;
/// A hash.
pub type Hash = sp_core::H256;
/// A block number.
pub type BlockNumber = u32;
/// An address as used in calls (accounts are looked up directly, no indices).
pub type Address = MultiAddress<AccountId, ()>;
/// The block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// A block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;
/// A block's identifier.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, checked on every signed transaction. Wrapped in
/// `StorageWeightReclaim`, which refunds the proof size the transaction did not use.
pub type TxExtension = cumulus_pallet_weight_reclaim::StorageWeightReclaim<
	Runtime,
	(
		frame_system::AuthorizeCall<Runtime>,
		frame_system::CheckNonZeroSender<Runtime>,
		frame_system::CheckSpecVersion<Runtime>,
		frame_system::CheckTxVersion<Runtime>,
		frame_system::CheckGenesis<Runtime>,
		frame_system::CheckEra<Runtime>,
		frame_system::CheckNonce<Runtime>,
		frame_system::CheckWeight<Runtime>,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
		frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	),
>;

/// A transaction as it appears in a block.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// Dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

/// The consensus hook of async backing: bounds the unincluded segment.
pub type ConsensusHook = cumulus_pallet_aura_ext::FixedVelocityConsensusHook<
	Runtime,
	{ constants::consensus::RELAY_CHAIN_SLOT_DURATION_MILLIS },
	{ constants::consensus::BLOCK_PROCESSING_VELOCITY },
	{ constants::consensus::UNINCLUDED_SEGMENT_CAPACITY },
>;

/// Opaque types for the node, which needs no knowledge of the runtime's extrinsic format.
pub mod opaque {
	use super::*;
	pub use polkadot_sdk::sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
	/// Opaque block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
}

impl_opaque_keys! {
	/// The session keys of a collator: Aura only.
	pub struct SessionKeys {
		/// The Aura block-authoring key.
		pub aura: Aura,
	}
}

/// The runtime's version. Bump `spec_version` for every runtime upgrade.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("ehr-consortium"),
	impl_name: alloc::borrow::Cow::Borrowed("ehr-consortium"),
	authoring_version: 1,
	spec_version: 10,
	impl_version: 0,
	apis: RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	// System support.
	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type ParachainSystem = cumulus_pallet_parachain_system;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type ParachainInfo = parachain_info;
	#[runtime::pallet_index(4)]
	pub type WeightReclaim = cumulus_pallet_weight_reclaim;
	#[runtime::pallet_index(5)]
	pub type MultiBlockMigrations = pallet_migrations;

	// Monetary.
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Batches of calls, e.g. a council motion that does several things at once.
	#[runtime::pallet_index(14)]
	pub type Utility = pallet_utility;
	// Sudo has a key only in the development preset; other chains are governed by the council.
	#[runtime::pallet_index(15)]
	pub type Sudo = pallet_sudo;

	// Consortium governance: the membership feeds the council; the council's 3/4 motions
	// dispatch as root through `EhrGovernance`.
	#[runtime::pallet_index(16)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(17)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(18)]
	pub type EhrGovernance = pallet_ehr_governance;

	// Collator support. The order of these five matters.
	#[runtime::pallet_index(20)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(21)]
	pub type CollatorSelection = pallet_collator_selection;
	#[runtime::pallet_index(22)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(23)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(24)]
	pub type AuraExt = cumulus_pallet_aura_ext;

	// XCM.
	#[runtime::pallet_index(30)]
	pub type XcmpQueue = cumulus_pallet_xcmp_queue;
	#[runtime::pallet_index(31)]
	pub type PolkadotXcm = pallet_xcm;
	#[runtime::pallet_index(32)]
	pub type CumulusXcm = cumulus_pallet_xcm;
	#[runtime::pallet_index(33)]
	pub type MessageQueue = pallet_message_queue;

	// The EHR domain. No personal health information: ids, codes and hashes only.
	#[runtime::pallet_index(40)]
	pub type EhrIdentity = pallet_ehr_identity;
	#[runtime::pallet_index(41)]
	pub type EhrConsent = pallet_ehr_consent;
	#[runtime::pallet_index(42)]
	pub type EhrAudit = pallet_ehr_audit;
	#[runtime::pallet_index(43)]
	pub type EhrRecords = pallet_ehr_records;

	// Sponsored calls: a patient's key signs, a sponsor submits and pays (`EhrSponsor.dispatch`).
	// `MetaTx` and `VerifySignature` are polkadot-sdk's meta transactions and signature check;
	// `MetaTx.dispatch` itself is filtered (`EhrCallFilter`): sponsored calls go through
	// `EhrSponsor`, which makes the sponsor pay the deposits too.
	#[runtime::pallet_index(44)]
	pub type EhrSponsor = pallet_ehr_sponsor;
	#[runtime::pallet_index(45)]
	pub type MetaTx = pallet_meta_tx;
	#[runtime::pallet_index(46)]
	pub type VerifySignature = pallet_verify_signature;
}

#[cfg(feature = "runtime-benchmarks")]
mod benches {
	polkadot_sdk::frame_benchmarking::define_benchmarks!(
		[frame_system, SystemBench::<Runtime>]
		[pallet_balances, Balances]
		[pallet_timestamp, Timestamp]
		[pallet_ehr_identity, EhrIdentity]
		[pallet_ehr_consent, EhrConsent]
		[pallet_ehr_audit, EhrAudit]
		[pallet_ehr_records, EhrRecords]
		[pallet_ehr_governance, EhrGovernance]
		[pallet_ehr_sponsor, EhrSponsor]
	);
}

cumulus_pallet_parachain_system::register_validate_block! {
	Runtime = Runtime,
	BlockExecutor = cumulus_pallet_aura_ext::BlockExecutor::<Runtime, Executive>,
}
