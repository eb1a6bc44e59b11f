//! A test runtime with `frame_system`, `pallet_balances` and this pallet.

use crate as pallet_ehr_identity;
use ehr_primitives::testing::RecordingAuditSink;
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
	pub const RecoveryHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::RecoveryDeposit);
	pub const PatientHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::PatientDeposit);
}

/// Controllers a test patient may have.
pub const MAX_CONTROLLERS: u32 = 3;
/// Guardians a test patient may have.
pub const MAX_GUARDIANS: u32 = 2;

impl pallet_ehr_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PatientDeposit = HoldConsideration<
		u64,
		Balances,
		PatientHoldReason,
		LinearStoragePrice<ConstU64<100>, ConstU64<1>, u64>,
	>;
	type AccreditationOrigin = EnsureRoot<u64>;
	type MaxControllers = ConstU32<MAX_CONTROLLERS>;
	type MaxGuardians = ConstU32<MAX_GUARDIANS>;
	type DepositPayer = ();
	type OnboardingSignature = polkadot_sdk::sp_runtime::testing::TestSignature;
	type OnboardingSigner = polkadot_sdk::sp_runtime::testing::UintAuthorityId;
	type MaxOnboardingValidity = ConstU64<100>;
	type MaxRecoveryFriends = ConstU32<3>;
	type MinRecoveryDelay = ConstU64<10>;
	type GuardianTermGranularity = ConstU64<5>;
	type RecoveryDeposit = HoldConsideration<
		u64,
		Balances,
		RecoveryHoldReason,
		LinearStoragePrice<ConstU64<100>, ConstU64<1>, u64>,
	>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestSigner;
	type AuditSink = RecordingAuditSink;
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

/// Accounts endowed at genesis.
pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CAROL: u64 = 3;
pub const DAVE: u64 = 4;
/// An account with no funds.
pub const POOR: u64 = 99;
/// The admin of organisation 0 and an accredited physician of it.
pub const ADMIN: u64 = 10;
pub const DOCTOR: u64 = 11;

/// Builds the test externalities: endowed accounts, one organisation with one provider.
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build() -> TestExternalities {
		ehr_primitives::testing::reset();
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> {
			balances: [ALICE, BOB, CAROL, DAVE, ADMIN, DOCTOR]
				.iter()
				.map(|who| (*who, 1_000_000))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		pallet_ehr_identity::GenesisConfig::<Test> {
			organisations: vec![ADMIN],
			providers: vec![(
				DOCTOR,
				ehr_primitives::OrgId(0),
				ehr_primitives::ProviderRole::Physician,
			)],
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks the pallet's storage invariants.
	pub fn build_and_execute(test: impl FnOnce()) {
		Self::build().execute_with(|| {
			test();
			Identity::do_try_state().expect("storage invariants hold after the test");
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
