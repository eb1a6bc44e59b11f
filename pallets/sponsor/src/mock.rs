//! A test runtime with `frame_system`, `pallet_balances`, `pallet_verify_signature`,
//! `pallet_meta_tx`, the identity pallet (whose deposits a sponsor pays) and this pallet.

use crate as pallet_ehr_sponsor;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{fungible::HoldConsideration, ConstU32, ConstU64, LinearStoragePrice},
	},
	frame_system::{self, EnsureRoot},
	pallet_balances, pallet_meta_tx, pallet_verify_signature,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::{IdentifyAccount, IdentityLookup, Verify},
		BuildStorage, MultiSignature,
	},
};

pub type Signature = MultiSignature;
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		VerifySignature: pallet_verify_signature,
		MetaTx: pallet_meta_tx,
		Identity: pallet_ehr_identity,
		Sponsor: pallet_ehr_sponsor,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

impl pallet_verify_signature::Config for Test {
	type Signature = MultiSignature;
	type AccountIdentifier = <Signature as Verify>::Signer;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// The extensions of a meta transaction, as the runtime has them.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type MetaTxExtension = (pallet_verify_signature::VerifySignature<Test>, MetaTxBareExtension);
#[cfg(feature = "runtime-benchmarks")]
pub type MetaTxExtension = pallet_meta_tx::WeightlessExtension<Test>;

/// The signed part of [`MetaTxExtension`] without the signature.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type MetaTxBareExtension = (
	pallet_meta_tx::MetaTxMarker<Test>,
	frame_system::CheckNonZeroSender<Test>,
	frame_system::CheckSpecVersion<Test>,
	frame_system::CheckTxVersion<Test>,
	frame_system::CheckGenesis<Test>,
	frame_system::CheckMortality<Test>,
	frame_system::CheckNonce<Test>,
);

impl pallet_meta_tx::Config for Test {
	type WeightInfo = ();
	type RuntimeEvent = RuntimeEvent;
	type Extension = MetaTxExtension;
}

parameter_types! {
	pub const RecoveryHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::RecoveryDeposit);
	pub const PatientHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Identity(pallet_ehr_identity::HoldReason::PatientDeposit);
}

/// The patient deposit: 100 plus 1 per byte.
pub type PatientDeposit = HoldConsideration<
	AccountId,
	Balances,
	PatientHoldReason,
	LinearStoragePrice<ConstU64<100>, ConstU64<1>, u64>,
>;

impl pallet_ehr_identity::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type PatientDeposit = PatientDeposit;
	type AccreditationOrigin = EnsureRoot<AccountId>;
	type MaxControllers = ConstU32<3>;
	type MaxGuardians = ConstU32<2>;
	type DepositPayer = Sponsor;
	type OnboardingSignature = MultiSignature;
	type OnboardingSigner = <Signature as Verify>::Signer;
	type MaxOnboardingValidity = ConstU64<100>;
	type MaxRecoveryFriends = ConstU32<3>;
	type MinRecoveryDelay = ConstU64<10>;
	type GuardianTermGranularity = ConstU64<5>;
	type RecoveryDeposit = HoldConsideration<
		AccountId,
		Balances,
		RecoveryHoldReason,
		LinearStoragePrice<ConstU64<100>, ConstU64<1>, u64>,
	>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = KeyringSigner;
	type AuditSink = ();
	type BlockNumberProvider = System;
	type WeightInfo = ();
}

impl pallet_ehr_sponsor::Config for Test {
	type WeightInfo = ();
}

/// Signs onboarding agreements in the identity pallet's benchmarks (not run here).
#[cfg(feature = "runtime-benchmarks")]
pub struct KeyringSigner;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_ehr_identity::OnboardingBenchmarkHelper<AccountId, MultiSignature> for KeyringSigner {
	fn sign(message: &[u8]) -> (AccountId, MultiSignature) {
		let key = Sr25519Keyring::Ferdie;
		(key.to_account_id(), MultiSignature::Sr25519(key.sign(message)))
	}
}

/// The sponsor: an organisation's system account (the admin of organisation 0), funded.
pub fn sponsor() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}
/// Funded, but neither sponsor nor patient.
pub fn relayer() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}
/// Starting balance of the funded accounts.
pub const FUNDS: u64 = 1_000_000;

pub fn new_test_ext() -> TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(sponsor(), FUNDS), (relayer(), FUNDS)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_ehr_identity::GenesisConfig::<Test> {
		organisations: vec![sponsor()],
		providers: vec![],
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test`, then checks the storage invariants of this pallet and the identity pallet (the
/// tests, which do not build with `runtime-benchmarks`).
#[cfg(not(feature = "runtime-benchmarks"))]
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Sponsor::do_try_state().expect("no sponsor is left set");
		Identity::do_try_state().expect("identity invariants hold");
	});
}
