//! A test runtime with `frame_system`, `pallet_balances` and this pallet. Patients and providers
//! come from the simple registries of `ehr_primitives::testing`, so the pallet is tested on its
//! own; the runtime tests wire it to the real identity pallet.

use crate as pallet_ehr_consent;
use ehr_primitives::{
	testing::{patient_id, RecordingAuditSink, TestPatients, TestProviders},
	OrgId, PatientId, ProviderRole,
};
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::HoldConsideration, ConstU32, ConstU64, LinearStoragePrice},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		EhrConsent: pallet_ehr_consent,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

parameter_types! {
	pub const ConsentHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::ConsentDeposit);
	pub const EmergencyHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::EmergencyDeposit);
}

/// Grants one patient may hold.
/// Grants one patient may give one grantee.
pub const MAX_PER_GRANTEE: u32 = 2;
/// Blocks an emergency window lasts.
pub const EMERGENCY_DURATION: u64 = 10;
/// Emergency windows per provider per period.
pub const EMERGENCY_LIMIT: u32 = 2;
/// The rate-limit period.
pub const EMERGENCY_PERIOD: u64 = 100;

type Deposit<R> =
	HoldConsideration<u64, Balances, R, LinearStoragePrice<ConstU64<10>, ConstU64<1>, u64>>;

impl pallet_ehr_consent::Config for Test {
	type DepositPayer = ();
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type ConsentDeposit = Deposit<ConsentHoldReason>;
	type EmergencyDeposit = Deposit<EmergencyHoldReason>;
	type Patients = TestPatients;
	type Providers = TestProviders;
	type AuditSink = RecordingAuditSink;
	type EmergencyCloseOrigin = EnsureRoot<u64>;
	type MaxGrantsPerGrantee = ConstU32<MAX_PER_GRANTEE>;
	type EmergencyDuration = ConstU64<EMERGENCY_DURATION>;
	type EmergencyRateLimit = ConstU32<EMERGENCY_LIMIT>;
	type EmergencyRatePeriod = ConstU64<EMERGENCY_PERIOD>;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// The patient's controller.
pub const ALICE: u64 = 1;
/// The patient's guardian, whose term ends at block 50.
pub const GUARDIAN: u64 = 2;
/// An account with no rights.
pub const STRANGER: u64 = 3;
/// A physician of organisation 1.
pub const DOCTOR: u64 = 10;
/// A nurse of organisation 1.
pub const NURSE: u64 = 11;
/// A physician of organisation 2.
pub const OTHER_DOCTOR: u64 = 20;
/// An account with no funds.
pub const POOR: u64 = 99;
/// The guardian's end block.
pub const GUARDIAN_UNTIL: u64 = 50;

/// The test patient, controlled by [`ALICE`].
pub fn patient() -> PatientId {
	patient_id(1)
}

/// Moves the chain, and the test registries, to block `n`.
pub fn go_to(n: u64) {
	System::set_block_number(n);
	TestPatients::set_now(n);
}

/// Builds the test externalities: funded accounts, one patient with a controller and a
/// guardian, organisations 1 and 2 with their providers, at block 1.
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestExternalities {
		ehr_primitives::testing::reset();
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: [ALICE, GUARDIAN, STRANGER, DOCTOR, NURSE, OTHER_DOCTOR]
				.iter()
				.map(|who| (*who, 1_000_000))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| {
			TestPatients::register(patient(), ALICE);
			TestPatients::add_guardian(patient(), GUARDIAN, Some(GUARDIAN_UNTIL));
			TestProviders::accredit(DOCTOR, OrgId(1), ProviderRole::Physician);
			TestProviders::accredit(NURSE, OrgId(1), ProviderRole::Nurse);
			TestProviders::accredit(OTHER_DOCTOR, OrgId(2), ProviderRole::Physician);
			go_to(1);
		});
		ext
	}

	/// Runs `test`, then checks the pallet's storage invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			EhrConsent::do_try_state().expect("storage invariants hold after the test");
		});
	}
}
