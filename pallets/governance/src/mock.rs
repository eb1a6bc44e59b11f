//! A test runtime with `frame_system`, a council (`pallet_collective`) of four and this pallet;
//! root dispatch needs 3/4 of the council, as in the runtime.

use crate as pallet_ehr_governance;
use polkadot_sdk::{
	frame_support::{
		derive_impl, parameter_types,
		traits::{ConstU32, ConstU64, EitherOfDiverse},
		weights::Weight,
	},
	frame_system::{self, EnsureRoot},
	pallet_collective,
	sp_io::TestExternalities,
	sp_runtime::BuildStorage,
};

type Block = frame_system::mocking::MockBlock<Test>;

polkadot_sdk::frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Council: pallet_collective::<Instance1>,
		Governance: pallet_ehr_governance,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Blocks a motion stays open.
pub const MOTION_DURATION: u64 = 10;

parameter_types! {
	pub MaxProposalWeight: Weight = Weight::MAX;
}

impl pallet_collective::Config<pallet_collective::Instance1> for Test {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = ConstU64<MOTION_DURATION>;
	type MaxProposals = ConstU32<10>;
	type MaxMembers = ConstU32<10>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = ();
	type SetMembersOrigin = EnsureRoot<u64>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<u64>;
	type KillOrigin = EnsureRoot<u64>;
	type Consideration = ();
}

/// Root, or 3/4 of the council.
pub type RootOrigin = EitherOfDiverse<
	EnsureRoot<u64>,
	pallet_collective::EnsureProportionAtLeast<u64, pallet_collective::Instance1, 3, 4>,
>;

impl pallet_ehr_governance::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RootOrigin = RootOrigin;
	type SessionOrigin = EnsureRoot<u64>;
	type DefaultSessionLength = ConstU64<600>;
	type MinSessionLength = ConstU64<10>;
	type MaxSessionLength = ConstU64<100_800>;
	type WeightInfo = ();
}

/// The council: accounts 1 to 4.
pub const COUNCIL: [u64; 4] = [1, 2, 3, 4];

/// Genesis with the council of four, at block 1 (events are recorded).
pub fn new_test_ext() -> TestExternalities {
	let storage = RuntimeGenesisConfig {
		council: pallet_collective::GenesisConfig {
			members: COUNCIL.to_vec(),
			phantom: Default::default(),
		},
		..Default::default()
	}
	.build_storage()
	.unwrap_or_else(|e| panic!("genesis builds: {e}"));
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
