//! Storage types of the identity pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use ehr_primitives::{OrgId, ProviderRole};
use polkadot_sdk::frame_support::{pallet_prelude::*, BoundedVec};
use scale_info::TypeInfo;

/// A guardian of a patient: a parent of a minor, or a representative of an incapacitated patient.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Guardian<AccountId, BlockNumber> {
	/// The guardian's account.
	pub account: AccountId,
	/// The block at which the guardian stops acting (exclusive), if any: for a minor, the age
	/// of majority.
	pub until: Option<BlockNumber>,
}

impl<AccountId, BlockNumber: PartialOrd> Guardian<AccountId, BlockNumber> {
	/// Whether the guardian may act at block `now`.
	pub fn in_term(&self, now: &BlockNumber) -> bool {
		self.until.as_ref().is_none_or(|end| now < end)
	}
}

/// An open patient identity.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxControllers, MaxGuardians))]
#[codec(mel_bound(
	AccountId: MaxEncodedLen,
	BlockNumber: MaxEncodedLen,
	Ticket: MaxEncodedLen
))]
pub struct Patient<AccountId, BlockNumber, Ticket, MaxControllers: Get<u32>, MaxGuardians: Get<u32>>
{
	/// The keys that control the identity (several devices); never empty.
	pub controllers: BoundedVec<AccountId, MaxControllers>,
	/// The guardians, with their terms.
	pub guardians: BoundedVec<Guardian<AccountId, BlockNumber>, MaxGuardians>,
	/// The account that registered the identity and whose deposit is held for it.
	pub depositor: AccountId,
	/// The held deposit.
	pub deposit: Ticket,
	/// The block the identity was registered in.
	pub registered_at: BlockNumber,
}

/// A member organisation of the consortium.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Organisation<AccountId> {
	/// The organisation's administrator account, which may accredit and suspend the
	/// organisation's own providers; `None` once governance removed it (governance alone then
	/// manages the organisation's providers).
	pub admin: Option<AccountId>,
	/// Whether governance suspended the whole organisation: none of its providers is in force,
	/// and its admin can do nothing, until governance reinstates it.
	pub suspended: bool,
}

/// Whether an accredited provider may currently act.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ProviderStatus {
	/// The provider may act.
	Active,
	/// The provider is suspended: no consent or emergency window lets it act.
	Suspended,
}

/// An accredited provider.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Provider<BlockNumber> {
	/// The organisation the provider acts for.
	pub organisation: OrgId,
	/// The provider's role.
	pub role: ProviderRole,
	/// Active or suspended.
	pub status: ProviderStatus,
	/// The block the provider was accredited in.
	pub accredited_at: BlockNumber,
}

/// An invitation to become a controller of a patient identity, which the invited account must
/// accept ([`crate::Pallet::accept_controller`]): nobody becomes a controller, and so loses the
/// ability to register an identity of its own, without signing for it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ControllerInvitation<AccountId> {
	/// The account invited.
	pub invitee: AccountId,
	/// The controller that invited it.
	pub invited_by: AccountId,
	/// The controller key the invitee replaces (a key rotation), or `None` to be added.
	pub replaces: Option<AccountId>,
}

/// Who may recover a patient identity whose keys are all lost, set in advance by a controller:
/// a threshold of trusted accounts (guardians, the onboarding organisation's account, friends)
/// and a delay during which a remaining controller can cancel a recovery.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
#[scale_info(skip_type_params(MaxFriends))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct RecoveryConfig<AccountId, BlockNumber, MaxFriends: Get<u32>> {
	/// The trusted accounts, without duplicates.
	pub friends: BoundedVec<AccountId, MaxFriends>,
	/// How many of them must approve a recovery (at least 1, at most all).
	pub threshold: u32,
	/// How many blocks (of the pallet's clock) must pass between the start of a recovery and
	/// its claim.
	pub delay: BlockNumber,
}

/// A recovery under way: a friend named a new key; friends approve; after the delay, with
/// enough approvals, the new key claims the identity.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxFriends))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen, Ticket: MaxEncodedLen))]
pub struct ActiveRecovery<AccountId, BlockNumber, Ticket, MaxFriends: Get<u32>> {
	/// The key that will control the identity.
	pub new_controller: AccountId,
	/// The block the recovery started in.
	pub started_at: BlockNumber,
	/// The friends who approved, the initiator first.
	pub approvals: BoundedVec<AccountId, MaxFriends>,
	/// The account whose deposit is held for the recovery (the initiator, or its sponsor).
	pub depositor: AccountId,
	/// The held deposit.
	pub deposit: Ticket,
}
