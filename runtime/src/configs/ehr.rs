//! Configuration of the EHR domain pallets: patient identity and provider accreditation
//! (`EhrIdentity`) and consent (`EhrConsent`).
//!
//! Every bound, deposit and time limit of the domain is here, in one place.

use crate::{
	constants::{currency::*, time::*},
	AccountId, Balance, Balances, BlockNumber, EhrIdentity, Runtime, RuntimeEvent,
	RuntimeHoldReason,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{fungible::HoldConsideration, ConstU32, LinearStoragePrice},
	},
	frame_system::EnsureRoot,
};

/// Storage deposits: [`DEPOSIT_PER_ITEM`] plus [`DEPOSIT_PER_BYTE`] for each byte of the
/// largest encoding of the item and its index entries.
pub type StorageDeposit = LinearStoragePrice<DepositPerItem, DepositPerByte, Balance>;

parameter_types! {
	pub const DepositPerItem: Balance = DEPOSIT_PER_ITEM;
	pub const DepositPerByte: Balance = DEPOSIT_PER_BYTE;
	pub const PatientDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrIdentity(pallet_ehr_identity::HoldReason::PatientDeposit);
	pub const ConsentDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::ConsentDeposit);
	pub const EmergencyDepositReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::EmergencyDeposit);
}

/// Controller keys (devices) one patient may have.
pub const MAX_CONTROLLERS: u32 = 8;
/// Guardians one patient may have.
pub const MAX_GUARDIANS: u32 = 4;
/// Grants one patient may hold at once, including ended ones not yet reaped.
pub const MAX_CONSENTS_PER_PATIENT: u32 = 64;
/// Grants one patient may hold for one grantee at once.
pub const MAX_GRANTS_PER_GRANTEE: u32 = 4;
/// How long a break-glass emergency window lasts: 24 hours.
pub const EMERGENCY_DURATION: BlockNumber = DAYS;
/// Emergency windows one provider may open per [`EMERGENCY_RATE_PERIOD`].
pub const EMERGENCY_RATE_LIMIT: u32 = 5;
/// The rate-limit period of emergency windows: 24 hours.
pub const EMERGENCY_RATE_PERIOD: BlockNumber = DAYS;

impl pallet_ehr_identity::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PatientDeposit =
		HoldConsideration<AccountId, Balances, PatientDepositReason, StorageDeposit>;
	// Consortium governance replaces root here when the governance pallets land.
	type AccreditationOrigin = EnsureRoot<AccountId>;
	type MaxControllers = ConstU32<MAX_CONTROLLERS>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	// The audit pallet replaces `()` when it lands; the events record every change until then.
	type AuditSink = ();
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
	type Patients = EhrIdentity;
	type Providers = EhrIdentity;
	type AuditSink = ();
	type EmergencyCloseOrigin = EnsureRoot<AccountId>;
	type MaxConsentsPerPatient = ConstU32<MAX_CONSENTS_PER_PATIENT>;
	type MaxGrantsPerGrantee = ConstU32<MAX_GRANTS_PER_GRANTEE>;
	type EmergencyDuration = EmergencyDuration;
	type EmergencyRateLimit = ConstU32<EMERGENCY_RATE_LIMIT>;
	type EmergencyRatePeriod = EmergencyRatePeriod;
	type WeightInfo = pallet_ehr_consent::weights::SubstrateWeight<Runtime>;
}
