//! Consortium governance: the member organisations' accounts ([`CouncilMembership`]) feed the
//! council ([`Council`]); council motions run the permissioned collator set, accredit
//! organisations, and (through [`EhrGovernance`]) dispatch root calls such as runtime upgrades.
//!
//! Every threshold and duration of governance is here, in one place.
//!
//! | Action | Who | Constant |
//! |---|---|---|
//! | add, remove, swap, reset council members | 3/4 of the council (as root: see below) | [`MEMBERSHIP_THRESHOLD`] |
//! | add, remove collators (invulnerables) | 2/3 of the council | [`COLLATOR_THRESHOLD`] |
//! | register organisations; accredit, suspend, reinstate, revoke any provider; close an emergency window | 2/3 of the council | [`ACCREDITATION_THRESHOLD`] |
//! | any root call (runtime upgrade, parameters) | 3/4 of the council | [`ROOT_THRESHOLD`] |
//! | disapprove or kill a motion | 2/3 of the council | [`VETO_THRESHOLD`] |
//!
//! Each of these also accepts root, which on a consortium chain is only reachable through
//! [`ROOT_THRESHOLD`] (sudo exists only in the development preset).
//!
//! **Root needs 3/4 on every path.** Whoever can change the council can make itself the whole
//! council and then dispatch as root, so membership changes need the root threshold too: with a
//! lower bar, 2/3 could first remove the other members (or add accounts of their own) and then
//! hold 100%. The council has no prime (setting one is refused), and members who do not vote
//! count as nays when a motion closes at the end of its duration ([`AbstentionsAreNays`]): with
//! a prime's default vote, one member plus silence could pass a root motion alone.
//!
//! A motion is proposed with a threshold of ayes. When it closes, its call is dispatched with the
//! origin `Members(ayes, council size)`, and the call's origin check compares `ayes / size` with
//! the threshold above: a motion proposed with too low a threshold executes, but the call fails
//! with `BadOrigin`.

use crate::{
	constants::time::*, AccountId, BlockNumber, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
};
#[cfg(doc)]
use crate::{Council, CouncilMembership, EhrGovernance};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{ConstU32, EitherOfDiverse},
		weights::Weight,
	},
	frame_system::{EnsureNever, EnsureRoot},
	pallet_collective, pallet_membership, pallet_utility,
	sp_runtime::Perbill,
};

/// A threshold as a fraction of the council: `(numerator, denominator)`.
pub type Threshold = (u32, u32);

/// Adding, removing, swapping or resetting council members (member organisations): the root
/// threshold, because whoever changes the council can make itself the council.
pub const MEMBERSHIP_THRESHOLD: Threshold = ROOT_THRESHOLD;
/// Disapproving or killing a motion: 2/3. It can only stop motions, never dispatch anything.
pub const VETO_THRESHOLD: Threshold = (2, 3);
/// Adding or removing a collator: 2/3.
pub const COLLATOR_THRESHOLD: Threshold = (2, 3);
/// Registering organisations and accrediting, suspending, reinstating or revoking any provider:
/// 2/3. An organisation's admin account may also accredit and suspend its own providers.
pub const ACCREDITATION_THRESHOLD: Threshold = (2, 3);
/// Dispatching a call as root (runtime upgrades, parameter changes): 3/4.
pub const ROOT_THRESHOLD: Threshold = (3, 4);

/// How long a council motion stays open: 5 days. A motion closes earlier as soon as its
/// threshold of ayes (or enough nays to make it unreachable) is in.
pub const MOTION_DURATION: BlockNumber = 5 * DAYS;
/// Open motions at most.
pub const MAX_PROPOSALS: u32 = 32;
/// Council members (member organisations) at most.
pub const MAX_MEMBERS: u32 = 64;
/// Session length unless the genesis config or the council sets another
/// (`ehrGovernance.setSessionLength`): one hour. A collator added by the council authors blocks
/// from the start of the second session after the motion, so between one and two sessions later.
pub const SESSION_PERIOD: BlockNumber = HOURS;
/// The shortest session the council may set: 10 blocks, a minute (test networks).
pub const MIN_SESSION_PERIOD: BlockNumber = 10;
/// The longest session the council may set: a week, so a collator change never waits longer
/// than two weeks.
pub const MAX_SESSION_PERIOD: BlockNumber = 7 * DAYS;
/// The fewest collators the chain keeps: one, so a small consortium can start with one and the
/// council cannot remove the last.
pub const MIN_COLLATORS: u32 = 1;
/// Collators at most.
pub const MAX_COLLATORS: u32 = 32;

/// The council's instance of `pallet_collective`.
pub type CouncilCollective = pallet_collective::Instance1;
/// The membership instance that feeds the council.
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// Root, or at least `N / D` of the council.
pub type RootOrCouncil<const N: u32, const D: u32> = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, N, D>,
>;

/// Who adds and removes council members: [`MEMBERSHIP_THRESHOLD`].
pub type MembershipOrigin = RootOrCouncil<{ MEMBERSHIP_THRESHOLD.0 }, { MEMBERSHIP_THRESHOLD.1 }>;
/// Who disapproves or kills a motion: [`VETO_THRESHOLD`].
pub type VetoOrigin = RootOrCouncil<{ VETO_THRESHOLD.0 }, { VETO_THRESHOLD.1 }>;

/// The council's default vote: a member who did not vote counts as a nay, whatever anyone else
/// voted. (`pallet_collective::PrimeDefaultVote` would copy a prime's vote.)
pub struct AbstentionsAreNays;
impl pallet_collective::DefaultVote for AbstentionsAreNays {
	fn default_vote(_prime_vote: Option<bool>, _yes: u32, _no: u32, _len: u32) -> bool {
		false
	}
}
/// Who adds and removes collators: [`COLLATOR_THRESHOLD`].
pub type CollatorOrigin = RootOrCouncil<{ COLLATOR_THRESHOLD.0 }, { COLLATOR_THRESHOLD.1 }>;
/// Who accredits organisations and providers: [`ACCREDITATION_THRESHOLD`].
pub type AccreditationOrigin =
	RootOrCouncil<{ ACCREDITATION_THRESHOLD.0 }, { ACCREDITATION_THRESHOLD.1 }>;
/// Who may dispatch as root: [`ROOT_THRESHOLD`].
pub type RootDispatchOrigin = RootOrCouncil<{ ROOT_THRESHOLD.0 }, { ROOT_THRESHOLD.1 }>;

parameter_types! {
	pub const MotionDuration: BlockNumber = MOTION_DURATION;
	/// A motion's call may use at most half a block.
	pub MaxProposalWeight: Weight =
		crate::configs::part_of(Perbill::from_percent(50), crate::configs::RuntimeBlockWeights::get().max_block);
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = MotionDuration;
	type MaxProposals = ConstU32<MAX_PROPOSALS>;
	type MaxMembers = ConstU32<MAX_MEMBERS>;
	// Members who did not vote count as nays when a motion closes at the end of its duration.
	type DefaultVote = AbstentionsAreNays;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// The council is exactly the membership: only `CouncilMembership` changes it.
	type SetMembersOrigin = EnsureNever<()>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = VetoOrigin;
	type KillOrigin = VetoOrigin;
	// Only members propose, and at most `MAX_PROPOSALS` motions are open: no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = MembershipOrigin;
	type RemoveOrigin = MembershipOrigin;
	type SwapOrigin = MembershipOrigin;
	type ResetOrigin = MembershipOrigin;
	// No prime: its vote would be the default of every silent member.
	type PrimeOrigin = EnsureNever<AccountId>;
	// The membership's genesis members become the council's; every change is copied to it.
	type MembershipInitialized = crate::Council;
	type MembershipChanged = crate::Council;
	type MaxMembers = ConstU32<MAX_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_ehr_governance::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type RootOrigin = RootDispatchOrigin;
	// The session length decides when collator changes take effect: the collators' threshold.
	type SessionOrigin = CollatorOrigin;
	type DefaultSessionLength = ConstU32<SESSION_PERIOD>;
	type MinSessionLength = ConstU32<MIN_SESSION_PERIOD>;
	type MaxSessionLength = ConstU32<MAX_SESSION_PERIOD>;
	type WeightInfo = pallet_ehr_governance::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}
