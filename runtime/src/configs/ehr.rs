//! Configuration of the EHR domain pallets: patient identity and provider accreditation
//! (`EhrIdentity`), consent (`EhrConsent`), the audit trail (`EhrAudit`) and record anchoring
//! (`EhrRecords`).
//!
//! Every bound, deposit and time limit of the domain is here, in one place. Every period is in
//! relay-chain blocks ([`crate::constants::ehr_time`]): the pallets' clock is
//! [`EhrClock`], the relay chain's block number.

use crate::{
	constants::{currency::*, ehr_time::*},
	AccountId, Balance, Balances, BlockNumber, EhrAudit, EhrConsent, EhrIdentity, EhrSponsor,
	Runtime, RuntimeEvent, RuntimeHoldReason, Signature, Timestamp,
};
use polkadot_sdk::frame_support::{
	parameter_types,
	traits::{fungible::HoldConsideration, ConstU32, LinearStoragePrice},
};
use polkadot_sdk::sp_runtime::traits::Verify;

/// The EHR pallets' clock: the relay chain's block number, as the parachain's validation data
/// gives it (security review, finding 17).
pub type EhrClock = cumulus_pallet_parachain_system::RelaychainDataProvider<Runtime>;

/// Storage deposits: [`DEPOSIT_PER_ITEM`] plus [`DEPOSIT_PER_BYTE`] for each byte of the
/// largest encoding of the item and its index entries.
pub type StorageDeposit = LinearStoragePrice<DepositPerItem, DepositPerByte, Balance>;

parameter_types! {
	pub const DepositPerItem: Balance = DEPOSIT_PER_ITEM;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const PatientDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrIdentity(pallet_ehr_identity::HoldReason::PatientDeposit);
	pub const RecoveryDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrIdentity(pallet_ehr_identity::HoldReason::RecoveryDeposit);
	pub const MinRecoveryDelay: BlockNumber = MIN_RECOVERY_DELAY;
	pub const GuardianTermGranularity: BlockNumber = GUARDIAN_TERM_GRANULARITY;
	pub const ConsentDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::ConsentDeposit);
	pub const EmergencyDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::EmergencyDeposit);
	pub const RecordDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrRecords(pallet_ehr_records::HoldReason::RecordDeposit);
	pub const BatchDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrRecords(pallet_ehr_records::HoldReason::BatchDeposit);
}

/// Controller keys (devices) one patient may have.
pub const MAX_CONTROLLERS: u32 = 8;
/// Guardians one patient may have.
pub const MAX_GUARDIANS: u32 = 4;
/// Grants one patient may hold for one grantee at once.
pub const MAX_GRANTS_PER_GRANTEE: u32 = 4;
/// How long a break-glass emergency window lasts: 24 hours.
pub const EMERGENCY_DURATION: BlockNumber = RELAY_DAYS;
/// Emergency windows one provider may open per [`EMERGENCY_RATE_PERIOD`].
pub const EMERGENCY_RATE_LIMIT: u32 = 5;
/// The rate-limit period of emergency windows: 24 hours.
pub const EMERGENCY_RATE_PERIOD: BlockNumber = RELAY_DAYS;
/// How long audit entries are kept before anyone may prune them: 2,196 days, six years of
/// 366 days, more than HIPAA 164.528's six years whatever the leap years.
pub const AUDIT_RETENTION: BlockNumber = 6 * 366 * RELAY_DAYS;
/// The most audit entries one runtime-API page returns and one prune call removes.
pub const AUDIT_MAX_PAGE: u32 = 100;
/// The most records one `erase_patient_records` step erases.
pub const MAX_ERASE_PER_CALL: u32 = 50;
/// How far ahead an onboarding agreement may expire: one hour. An agreement is good once (the
/// key's nonce moves on), and only in this window.
pub const MAX_ONBOARDING_VALIDITY: BlockNumber = RELAY_HOURS;
/// Trusted accounts one recovery configuration may name.
pub const MAX_RECOVERY_FRIENDS: u32 = 9;
/// The shortest recovery delay: one day, in which a remaining controller can cancel a recovery
/// it did not ask for.
pub const MIN_RECOVERY_DELAY: BlockNumber = RELAY_DAYS;
/// The grid guardian terms end on: 365 relay days, so a minor's guardian term says no more than
/// a year (docs/privacy.md).
pub const GUARDIAN_TERM_GRANULARITY: BlockNumber = 365 * RELAY_DAYS;
/// The most documents one batch anchors: 2^20, so a proof has at most 20 hashes.
pub const MAX_BATCH_LEAVES: u32 = 1 << 20;
/// The most accesses one `record_accesses` call declares: a full call's benchmarked weight,
/// proof included, fits one normal extrinsic, and twice as many would not
/// (`a_full_bulk_call_fits_one_extrinsic_and_twice_as_many_would_not` in `runtime/tests/ehr.rs`).
pub const MAX_BULK_ACCESSES: u32 = 1_000;
/// The most documents one `anchor_records` call anchors, by the same rule.
pub const MAX_BULK_ANCHORS: u32 = 1_000;

impl pallet_ehr_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PatientDeposit =
		HoldConsideration<AccountId, Balances, PatientDepositReason, StorageDeposit>;
	// Root or 2/3 of the council; organisation admins act on their own providers in the pallet.
	type AccreditationOrigin = super::governance::AccreditationOrigin;
	type MaxControllers = ConstU32<MAX_CONTROLLERS>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	// A sponsored call's deposit is held from the sponsor.
	type DepositPayer = EhrSponsor;
	type OnboardingSignature = Signature;
	type OnboardingSigner = <Signature as Verify>::Signer;
	type MaxOnboardingValidity = ConstU32<MAX_ONBOARDING_VALIDITY>;
	type MaxRecoveryFriends = ConstU32<MAX_RECOVERY_FRIENDS>;
	type MinRecoveryDelay = MinRecoveryDelay;
	type GuardianTermGranularity = GuardianTermGranularity;
	type RecoveryDeposit =
		HoldConsideration<AccountId, Balances, RecoveryDepositReason, StorageDeposit>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = KeystoreSigner;
	type AuditSink = EhrAudit;
	type BlockNumberProvider = EhrClock;
	type WeightInfo = pallet_ehr_identity::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const EmergencyDuration: BlockNumber = EMERGENCY_DURATION;
	pub const EmergencyRatePeriod: BlockNumber = EMERGENCY_RATE_PERIOD;
}

impl pallet_ehr_consent::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type ConsentDeposit =
		HoldConsideration<AccountId, Balances, ConsentDepositReason, StorageDeposit>;
	type EmergencyDeposit =
		HoldConsideration<AccountId, Balances, EmergencyDepositReason, StorageDeposit>;
	type DepositPayer = EhrSponsor;
	type Patients = EhrIdentity;
	type Providers = EhrIdentity;
	type AuditSink = EhrAudit;
	type EmergencyCloseOrigin = super::governance::AccreditationOrigin;
	type MaxGrantsPerGrantee = ConstU32<MAX_GRANTS_PER_GRANTEE>;
	type EmergencyDuration = EmergencyDuration;
	type EmergencyRateLimit = ConstU32<EMERGENCY_RATE_LIMIT>;
	type EmergencyRatePeriod = EmergencyRatePeriod;
	type BlockNumberProvider = EhrClock;
	type WeightInfo = pallet_ehr_consent::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const AuditRetention: BlockNumber = AUDIT_RETENTION;
}

impl pallet_ehr_audit::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Time = Timestamp;
	type Retention = AuditRetention;
	type MaxPageSize = ConstU32<AUDIT_MAX_PAGE>;
	type BlockNumberProvider = EhrClock;
	type WeightInfo = pallet_ehr_audit::weights::SubstrateWeight<Runtime>;
}

impl pallet_ehr_records::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type RecordDeposit =
		HoldConsideration<AccountId, Balances, RecordDepositReason, StorageDeposit>;
	type BatchDeposit = HoldConsideration<AccountId, Balances, BatchDepositReason, StorageDeposit>;
	type Patients = EhrIdentity;
	type Providers = EhrIdentity;
	type Consent = EhrConsent;
	type AuditSink = EhrAudit;
	type Time = Timestamp;
	type MaxErasePerCall = ConstU32<MAX_ERASE_PER_CALL>;
	type MaxBatchLeaves = ConstU32<MAX_BATCH_LEAVES>;
	type MaxBulkAccesses = ConstU32<MAX_BULK_ACCESSES>;
	type MaxBulkAnchors = ConstU32<MAX_BULK_ANCHORS>;
	type BlockNumberProvider = EhrClock;
	type WeightInfo = pallet_ehr_records::weights::SubstrateWeight<Runtime>;
}

/// Signs onboarding agreements in the benchmarks with a fresh sr25519 key of the benchmark's
/// keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct KeystoreSigner;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_ehr_identity::OnboardingBenchmarkHelper<AccountId, Signature> for KeystoreSigner {
	fn sign(message: &[u8]) -> (AccountId, Signature) {
		use polkadot_sdk::{
			sp_core::crypto::KeyTypeId, sp_io::crypto, sp_runtime::traits::IdentifyAccount,
		};
		const KEY_TYPE: KeyTypeId = KeyTypeId(*b"ehrb");
		let public = crypto::sr25519_generate(KEY_TYPE, None);
		let signature = crypto::sr25519_sign(KEY_TYPE, &public, message)
			.unwrap_or_else(|| panic!("the benchmark keystore signs"));
		(
			polkadot_sdk::sp_runtime::MultiSigner::Sr25519(public).into_account(),
			Signature::Sr25519(signature),
		)
	}
}

/// The extensions of a meta transaction: what a patient's key signs for a sponsored call.
/// `VerifySignature` carries the key and its signature over the call and the rest: the marker
/// that tells a meta transaction from a transaction, the runtime version, the genesis hash, the
/// era and the key's nonce.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type MetaTxExtension =
	(polkadot_sdk::pallet_verify_signature::VerifySignature<Runtime>, MetaTxBareExtension);
/// In benchmarks, the weightless extension `pallet_meta_tx` measures its bare dispatch with.
#[cfg(feature = "runtime-benchmarks")]
pub type MetaTxExtension = polkadot_sdk::pallet_meta_tx::WeightlessExtension<Runtime>;

/// The signed part of [`MetaTxExtension`], without the signature.
pub type MetaTxBareExtension = (
	polkadot_sdk::pallet_meta_tx::MetaTxMarker<Runtime>,
	polkadot_sdk::frame_system::CheckNonZeroSender<Runtime>,
	polkadot_sdk::frame_system::CheckSpecVersion<Runtime>,
	polkadot_sdk::frame_system::CheckTxVersion<Runtime>,
	polkadot_sdk::frame_system::CheckGenesis<Runtime>,
	polkadot_sdk::frame_system::CheckEra<Runtime>,
	polkadot_sdk::frame_system::CheckNonce<Runtime>,
);

impl polkadot_sdk::pallet_meta_tx::Config for Runtime {
	type WeightInfo = polkadot_sdk::pallet_meta_tx::weights::SubstrateWeight<Runtime>;
	type RuntimeEvent = RuntimeEvent;
	type Extension = MetaTxExtension;
}

impl polkadot_sdk::pallet_verify_signature::Config for Runtime {
	type Signature = Signature;
	type AccountIdentifier = <Signature as Verify>::Signer;
	type WeightInfo = polkadot_sdk::pallet_verify_signature::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_ehr_sponsor::Config for Runtime {
	type WeightInfo = pallet_ehr_sponsor::weights::SubstrateWeight<Runtime>;
}
