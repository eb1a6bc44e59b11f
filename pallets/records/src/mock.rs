//! A test runtime with the real identity, consent and audit pallets around this one, so that
//! writes and accesses are authorised by real grants and land in the real hash-chained trail.
//! The clock is the block number times six seconds.

use crate as pallet_ehr_records;
use ehr_primitives::{OrgId, PatientId, ProviderRole};
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
		Identity: pallet_ehr_identity,
		Consent: pallet_ehr_consent,
		Audit: pallet_ehr_audit,
		EhrRecords: pallet_ehr_records,
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

/// Milliseconds per block of the test clock.
pub const BLOCK_MS: u64 = 6_000;

/// The test clock: block number × [`BLOCK_MS`].
pub struct BlockClock;

impl polkadot_sdk::frame_support::traits::Time for BlockClock {
	type Moment = u64;
	fn now() -> u64 {
		System::block_number() * BLOCK_MS
	}
}

parameter_types! {
	pub const RecoveryHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::RecoveryDeposit);
	pub const PatientHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::PatientDeposit);
	pub const ConsentHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Consent(pallet_ehr_consent::HoldReason::ConsentDeposit);
	pub const EmergencyHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Consent(pallet_ehr_consent::HoldReason::EmergencyDeposit);
	pub const RecordHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrRecords(pallet_ehr_records::HoldReason::RecordDeposit);
	pub const BatchHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::EhrRecords(pallet_ehr_records::HoldReason::BatchDeposit);
	pub const Retention: u64 = 1_000;
}

type Deposit<R> =
	HoldConsideration<u64, Balances, R, LinearStoragePrice<ConstU64<10>, ConstU64<1>, u64>>;

impl pallet_ehr_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PatientDeposit = Deposit<PatientHoldReason>;
	type AccreditationOrigin = EnsureRoot<u64>;
	type MaxControllers = ConstU32<3>;
	type MaxGuardians = ConstU32<2>;
	type DepositPayer = ();
	type OnboardingSignature = polkadot_sdk::sp_runtime::testing::TestSignature;
	type OnboardingSigner = polkadot_sdk::sp_runtime::testing::UintAuthorityId;
	type MaxOnboardingValidity = ConstU64<100>;
	type MaxRecoveryFriends = ConstU32<3>;
	type MinRecoveryDelay = ConstU64<10>;
	type GuardianTermGranularity = ConstU64<5>;
	type RecoveryDeposit = Deposit<RecoveryHoldReason>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestSigner;
	type AuditSink = Audit;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// Blocks an emergency window lasts.
pub const EMERGENCY_DURATION: u64 = 10;

impl pallet_ehr_consent::Config for Test {
	type DepositPayer = ();
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type ConsentDeposit = Deposit<ConsentHoldReason>;
	type EmergencyDeposit = Deposit<EmergencyHoldReason>;
	type Patients = Identity;
	type Providers = Identity;
	type AuditSink = Audit;
	type EmergencyCloseOrigin = EnsureRoot<u64>;
	type MaxGrantsPerGrantee = ConstU32<4>;
	type EmergencyDuration = ConstU64<EMERGENCY_DURATION>;
	type EmergencyRateLimit = ConstU32<5>;
	type EmergencyRatePeriod = ConstU64<100>;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

impl pallet_ehr_audit::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Time = BlockClock;
	type Retention = Retention;
	type MaxPageSize = ConstU32<100>;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// Records one erase step erases.
pub const MAX_ERASE: u32 = 3;
/// Documents a test batch may anchor.
pub const MAX_LEAVES: u32 = 1_000;
pub const MAX_BULK: u32 = 8;

impl pallet_ehr_records::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type RecordDeposit = Deposit<RecordHoldReason>;
	type BatchDeposit = Deposit<BatchHoldReason>;
	type Patients = Identity;
	type Providers = Identity;
	type Consent = Consent;
	type AuditSink = Audit;
	type Time = BlockClock;
	type MaxErasePerCall = ConstU32<MAX_ERASE>;
	type MaxBatchLeaves = ConstU32<MAX_LEAVES>;
	type MaxBulkAccesses = ConstU32<MAX_BULK>;
	type MaxBulkAnchors = ConstU32<MAX_BULK>;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// The patient's controller.
pub const ALICE: u64 = 1;
/// The patient's guardian (no end to the term).
pub const GUARDIAN: u64 = 2;
/// An account with no rights.
pub const STRANGER: u64 = 3;
/// Another patient's controller.
pub const BOB: u64 = 4;
/// The admins of organisations 0 and 1.
pub const ADMIN0: u64 = 8;
pub const ADMIN1: u64 = 9;
/// A physician of organisation 0.
pub const DOCTOR: u64 = 10;
/// A nurse of organisation 0.
pub const NURSE: u64 = 11;
/// A physician of organisation 1.
pub const OTHER_DOCTOR: u64 = 20;

std::thread_local! {
	static PATIENTS: std::cell::Cell<Option<(PatientId, PatientId)>> = const { std::cell::Cell::new(None) };
}

/// The test patient, controlled by [`ALICE`] (its id is kept after the identity is closed).
pub fn patient() -> PatientId {
	PATIENTS.get().expect("registered when the externalities were built").0
}

/// Bob's patient.
pub fn bobs_patient() -> PatientId {
	PATIENTS.get().expect("registered when the externalities were built").1
}

/// Builds the test externalities at block 1: funded accounts, organisations 0 and 1 with their
/// providers, Alice's patient with a guardian, and Bob's patient.
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: [ALICE, GUARDIAN, STRANGER, BOB, ADMIN0, ADMIN1, DOCTOR, NURSE, OTHER_DOCTOR]
				.iter()
				.map(|who| (*who, 1_000_000))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_ehr_identity::GenesisConfig::<Test> {
			organisations: vec![ADMIN0, ADMIN1],
			providers: vec![
				(DOCTOR, OrgId(0), ProviderRole::Physician),
				(NURSE, OrgId(0), ProviderRole::Nurse),
				(OTHER_DOCTOR, OrgId(1), ProviderRole::Physician),
			],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			Identity::register_patient(RuntimeOrigin::signed(ALICE)).unwrap();
			Identity::add_guardian(RuntimeOrigin::signed(ALICE), GUARDIAN, None).unwrap();
			Identity::register_patient(RuntimeOrigin::signed(BOB)).unwrap();
			let of = |who| pallet_ehr_identity::PatientOf::<Test>::get(who).unwrap();
			PATIENTS.set(Some((of(ALICE), of(BOB))));
		});
		ext
	}

	/// Runs `test`, then checks the storage invariants of every EHR pallet.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Identity::do_try_state().expect("identity invariants hold after the test");
			Consent::do_try_state().expect("consent invariants hold after the test");
			Audit::do_try_state().expect("audit invariants hold after the test");
			EhrRecords::do_try_state().expect("records invariants hold after the test");
		});
	}
}

/// Signs onboarding agreements in the benchmarks with a test signature of a fresh account.
#[cfg(feature = "runtime-benchmarks")]
pub struct TestSigner;

#[cfg(feature = "runtime-benchmarks")]
impl
	pallet_ehr_identity::OnboardingBenchmarkHelper<
		u64,
		polkadot_sdk::sp_runtime::testing::TestSignature,
	> for TestSigner
{
	fn sign(message: &[u8]) -> (u64, polkadot_sdk::sp_runtime::testing::TestSignature) {
		(7_000, polkadot_sdk::sp_runtime::testing::TestSignature(7_000, message.to_vec()))
	}
}
