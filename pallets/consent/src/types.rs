//! Storage types of the consent pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use ehr_primitives::{Actions, ConsentId, OrgId, ProviderRoles, Purposes, SealedCategories};
use scale_info::TypeInfo;

/// A consent grant as stored, in FHIR R5 `Consent` terms: the patient (grantor) permits the
/// grantee (`provision.actor`) to perform some actions (`provision.action`) on some categories
/// (`provision.securityLabel` / data class) for some purposes (`provision.purpose`) during a
/// period. The patient and the grantee are the key it is stored under ([`crate::Grants`]); the
/// terms are what the consent check reads.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Consent<AccountId, BlockNumber, Ticket> {
	/// Its id, scope, period and revocation.
	pub terms: GrantTerms<BlockNumber>,
	/// The account whose deposit is held, and gets it back when the grant is reaped: the
	/// controller or guardian who granted it, or the sponsor that submitted the grant for it
	/// (or whoever took the deposit over since). Who granted it is in the audit trail.
	pub granted_by: AccountId,
	/// The held deposit.
	pub deposit: Ticket,
}

/// Why a grant does not permit an access at a given block.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ineffective {
	/// The period has not started.
	NotYetValid,
	/// The period has ended.
	Expired,
	/// It was revoked.
	Revoked,
	/// It was given to one provider, who has since left the organisation it was accredited in
	/// then (it holds a later accreditation, or none).
	GranteeLeft,
}

/// What the consent check needs of one grant: its id, its scope, its period and its
/// revocation.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct GrantTerms<BlockNumber> {
	/// The grant's id ([`crate::Pallet::consent_id`]): unique among the patient's grants to the
	/// grantee.
	pub id: ConsentId,
	/// The data categories covered.
	pub categories: SealedCategories,
	/// The actions permitted.
	pub actions: Actions,
	/// The purposes of use permitted.
	pub purposes: Purposes,
	/// The provider roles admitted.
	pub roles: ProviderRoles,
	/// The first block the grant is valid in.
	pub valid_from: BlockNumber,
	/// The last block the grant is valid in (inclusive), or `None` for no end.
	pub valid_until: Option<BlockNumber>,
	/// The block it was revoked in, if it was.
	pub revoked_at: Option<BlockNumber>,
	/// The block it was granted in: before it, the grant did not exist, whatever its
	/// `valid_from` says, and the check at an earlier block does not see it.
	pub granted_at: BlockNumber,
}

impl<BlockNumber: PartialOrd + Copy> GrantTerms<BlockNumber> {
	/// Whether the grant existed at block `at`: it was granted in `at` or before.
	pub fn existed_at(&self, at: BlockNumber) -> bool {
		self.granted_at <= at
	}

	/// Whether the grant is in force at block `at`, or why not.
	pub fn effective_at(&self, at: BlockNumber) -> Result<(), Ineffective> {
		if self.revoked_at.is_some_and(|revoked| at >= revoked) {
			Err(Ineffective::Revoked)
		} else if self.valid_until.is_some_and(|until| at > until) {
			Err(Ineffective::Expired)
		} else if at < self.valid_from {
			Err(Ineffective::NotYetValid)
		} else {
			Ok(())
		}
	}
}

impl<AccountId, BlockNumber: PartialOrd + Copy, Ticket> Consent<AccountId, BlockNumber, Ticket> {
	/// The grant's id.
	pub fn id(&self) -> ConsentId {
		self.terms.id
	}

	/// Whether the grant is in force at block `at`, or why not.
	pub fn effective_at(&self, at: BlockNumber) -> Result<(), Ineffective> {
		self.terms.effective_at(at)
	}

	/// Whether the grant can never permit anything again after block `now`: revoked, or its
	/// period over.
	pub fn ended_by(&self, now: BlockNumber) -> bool {
		self.terms.revoked_at.is_some() || self.terms.valid_until.is_some_and(|until| now > until)
	}
}

/// A break-glass emergency access window of one provider for one patient.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EmergencyWindow<BlockNumber, Ticket> {
	/// The provider's organisation when it opened the window.
	pub organisation: OrgId,
	/// The block it was opened in.
	pub opened_at: BlockNumber,
	/// The first block it no longer covers.
	pub expires_at: BlockNumber,
	/// The hash of the justification, kept off chain; never the text.
	pub justification: [u8; 32],
	/// The block it was closed in, if it was closed early.
	pub closed_at: Option<BlockNumber>,
	/// The provider's held deposit.
	pub deposit: Ticket,
}

impl<BlockNumber: PartialOrd + Copy, Ticket> EmergencyWindow<BlockNumber, Ticket> {
	/// Whether the window covers block `at`.
	pub fn open_at(&self, at: BlockNumber) -> bool {
		self.opened_at <= at
			&& at < self.expires_at
			&& self.closed_at.is_none_or(|closed| at < closed)
	}

	/// Whether the window can never cover a block after `now` again.
	pub fn ended_by(&self, now: BlockNumber) -> bool {
		self.closed_at.is_some() || now >= self.expires_at
	}
}
