//! The glue traits through which the EHR pallets talk to each other.
//!
//! Each trait is small and has a simple implementation in [`crate::testing`], so every pallet
//! can be tested without the others. The runtime wires the real pallets together.

use crate::types::*;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Whether a patient identity is open or closed.
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
pub enum PatientStatus<BlockNumber> {
	/// Open: its controllers and guardians may act for it.
	Active,
	/// Closed (GDPR erasure) at the given block: nobody acts for it and no consent authorises
	/// anything any more.
	Closed {
		/// The block in which the identity was closed.
		at: BlockNumber,
	},
}

/// How an account may act for a patient.
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
pub enum PatientAgent {
	/// One of the patient's own controller keys.
	Controller,
	/// A guardian whose term has not ended.
	Guardian,
}

/// Why an account may not act for a patient.
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
pub enum ActForError {
	/// No such patient.
	UnknownPatient,
	/// The patient's identity is closed.
	PatientClosed,
	/// The account is neither a controller nor a guardian in term.
	NotAuthorized,
}

/// The patient side of the identity pallet, as other pallets see it.
pub trait PatientRegistry<AccountId, BlockNumber> {
	/// The patient's status, or `None` if it was never registered.
	fn status(patient: &PatientId) -> Option<PatientStatus<BlockNumber>>;

	/// Whether `who` may act for `patient` now: as a controller, or as a guardian in term.
	fn agent(who: &AccountId, patient: &PatientId) -> Result<PatientAgent, ActForError>;

	/// The registry's own error for an account that may not act for a patient: the one place
	/// that says why, for every pallet that asks (the identity pallet's `PatientNotFound`,
	/// `PatientClosed` or `NotAuthorized` in a runtime).
	fn agent_error(error: ActForError) -> polkadot_sdk::sp_runtime::DispatchError;

	/// [`agent`](Self::agent), failing with the registry's own error: what a call of another
	/// pallet that acts for a patient runs first.
	fn ensure_agent(
		who: &AccountId,
		patient: &PatientId,
	) -> Result<PatientAgent, polkadot_sdk::sp_runtime::DispatchError> {
		Self::agent(who, patient).map_err(Self::agent_error)
	}

	/// Whether the patient exists and is open.
	fn is_active(patient: &PatientId) -> bool {
		matches!(Self::status(patient), Some(PatientStatus::Active))
	}

	/// Registers a patient controlled by `controller`, for benchmarks of other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(controller: &AccountId) -> PatientId;

	/// Closes a patient, for benchmarks of other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	fn close_for_benchmark(patient: &PatientId);
}

/// An accredited provider: its organisation and role.
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
pub struct ProviderInfo {
	/// The member organisation the provider acts for.
	pub organisation: OrgId,
	/// The provider's role.
	pub role: ProviderRole,
}

/// An account's accreditation, in force or suspended.
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
pub struct Accreditation<BlockNumber> {
	/// The provider's organisation and role.
	pub info: ProviderInfo,
	/// Whether it is in force: neither the provider nor its organisation is suspended.
	pub active: bool,
	/// The block this accreditation was made in. A provider who leaves its organisation loses
	/// the accreditation; one accredited again (in any organisation or role) has a later block,
	/// so a grant made to it before then is over (security review, finding 16).
	pub since: BlockNumber,
}

/// The provider side of the identity pallet, as other pallets see it.
pub trait ProviderRegistry<AccountId, BlockNumber> {
	/// The accreditation of `who`, in force or suspended; `None` if `who` was never accredited
	/// or its accreditation was revoked.
	fn accreditation(who: &AccountId) -> Option<Accreditation<BlockNumber>>;

	/// The provider's organisation and role if `who` is accredited and neither it nor its
	/// organisation is suspended; `None` otherwise.
	fn active_provider(who: &AccountId) -> Option<ProviderInfo> {
		Self::accreditation(who).filter(|a| a.active).map(|a| a.info)
	}

	/// Whether the organisation is a registered member.
	fn organisation_exists(org: OrgId) -> bool;

	/// Accredits `who` as an active provider of a new or existing organisation, for benchmarks
	/// of other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	fn accredit_for_benchmark(who: &AccountId) -> ProviderInfo;

	/// Revokes `who`'s accreditation and accredits it again at block `at` (the current block of
	/// the registry's clock, which a runtime's registry reads itself), as a provider who left its
	/// organisation and joined one, for benchmarks of other pallets.
	#[cfg(feature = "runtime-benchmarks")]
	fn reaccredit_for_benchmark(who: &AccountId, at: BlockNumber);
}

/// On what grounds an access is permitted.
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
pub enum AccessBasis<BlockNumber> {
	/// A consent grant.
	Grant(ConsentId),
	/// A break-glass emergency window, identified by its patient, its provider and the block it
	/// was opened in.
	Emergency {
		/// The block the window was opened in.
		opened_at: BlockNumber,
	},
}

/// Why an access is denied.
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
pub enum DenialReason {
	/// No such patient.
	UnknownPatient,
	/// The patient's identity is closed.
	PatientClosed,
	/// The account is not an accredited, active provider.
	NotAccredited,
	/// Neither the provider nor its organisation holds any grant from the patient.
	NoConsent,
	/// A grant covers the access but its period has not started.
	ConsentNotYetValid,
	/// A grant covered the access but its period has ended.
	ConsentExpired,
	/// A grant covered the access but was revoked.
	ConsentRevoked,
	/// Grants exist, but none covers this category, action, purpose and the provider's role.
	OutOfScope,
	/// A grant to this provider covered the access, but the provider has left the organisation
	/// it was accredited in when the grant was made (it was accredited again since).
	GranteeLeftOrganisation,
}

/// A denial is one byte: it may be the field of a pallet error (the records pallet's
/// `WriteDenied`), which FRAME bounds to a few bytes.
impl polkadot_sdk::frame_support::traits::PalletError for DenialReason {
	const MAX_ENCODED_SIZE: usize = 1;
}

/// The answer to "may this account perform this action on this (sealed) category of this patient's data,
/// for this purpose?".
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
pub enum AccessDecision<BlockNumber> {
	/// Permitted, on the given basis.
	Permitted(AccessBasis<BlockNumber>),
	/// Denied, for the given reason.
	Denied(DenialReason),
}

impl<BlockNumber> AccessDecision<BlockNumber> {
	/// Whether the access is permitted.
	pub fn is_permitted(&self) -> bool {
		matches!(self, AccessDecision::Permitted(_))
	}
}

/// One access request, as checked by [`ConsentCheck`].
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
pub struct AccessRequest {
	/// The patient whose data is accessed.
	pub patient: PatientId,
	/// The category of the data, sealed with the patient's category key.
	pub category: CategoryTag,
	/// Read or write.
	pub action: Action,
	/// The purpose of use.
	pub purpose: PurposeOfUse,
}

/// The consent check, implemented by the consent pallet.
pub trait ConsentCheck<AccountId, BlockNumber> {
	/// Whether `who` may perform `request` at block `at`. With `at` the current block, this is
	/// the check other pallets use; with a past block it answers audit questions from the grants
	/// still stored (reaped grants are gone; the audit trail keeps their history).
	fn check_at(
		who: &AccountId,
		request: &AccessRequest,
		at: BlockNumber,
	) -> AccessDecision<BlockNumber>;

	/// Makes `request` permitted for `provider` by a grant from `patient` (signed by its
	/// controller `controller`), in the costliest way the check can find it, so that the
	/// benchmarks of calls that run the check reach its worst case in their own measurement
	/// (security review, finding 9; no separate check weight is added to theirs): for `ETREAT`
	/// an ended emergency window read first, then full lists of grants to the provider and to
	/// its organisation, every one read, the permitting grant the last. Also gives
	/// `other_grants` grants to other grantees, which the check must not read.
	#[cfg(feature = "runtime-benchmarks")]
	fn permit_for_benchmark(
		controller: &AccountId,
		provider: &AccountId,
		request: &AccessRequest,
		other_grants: u32,
	);
}

/// What an audit entry records, in FHIR `AuditEvent` terms the `subtype` of the event.
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
pub enum AuditAction {
	/// A consent was granted.
	ConsentGranted,
	/// A consent was revoked.
	ConsentRevoked,
	/// A revoked or expired consent was removed from storage.
	ConsentReaped,
	/// A break-glass emergency window was opened.
	EmergencyAccessOpened,
	/// A break-glass emergency window was closed early.
	EmergencyAccessClosed,
	/// A controller key was added.
	ControllerAdded,
	/// A controller key was removed.
	ControllerRemoved,
	/// A controller key was replaced by another.
	ControllerReplaced,
	/// A guardian was added.
	GuardianAdded,
	/// A guardian was removed.
	GuardianRemoved,
	/// The patient identity was closed.
	PatientClosed,
	/// A record (a document's digest) was anchored.
	RecordAnchored,
	/// A new version of a record was anchored (FHIR `correct`).
	RecordAmended,
	/// A record was retracted by its author's organisation.
	RecordRetracted,
	/// A record's digest was erased (GDPR erasure).
	RecordErased,
	/// A provider declared it read a record off chain (FHIR `access`); denied attempts are
	/// entries too, with outcome [`AuditOutcome::Denied`].
	RecordAccessed,
	/// An organisation registered the identity at intake, with the patient's signed agreement;
	/// the organisation holds its deposit.
	PatientOnboarded,
	/// A controller set, replaced or removed who may recover the identity.
	RecoveryConfigured,
	/// A recovery friend started a recovery of the identity to a new key.
	RecoveryInitiated,
	/// A recovery friend approved the recovery under way.
	RecoveryApproved,
	/// A controller cancelled the recovery under way.
	RecoveryCancelled,
	/// The new key claimed the identity: the former keys were removed.
	Recovered,
}

impl AuditAction {
	/// Whether the action discloses the patient's data to whoever performed it: what an
	/// accounting of disclosures lists.
	pub fn is_disclosure(&self) -> bool {
		matches!(self, AuditAction::RecordAccessed)
	}
}

/// What an audit entry is about, in FHIR `AuditEvent` terms its `entity`.
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
pub enum AuditEntity<AccountId, BlockNumber> {
	/// The patient identity itself.
	Patient,
	/// A consent grant.
	Consent(ConsentId),
	/// The emergency window of `provider`, opened at `opened_at`.
	Emergency {
		/// The provider who opened the window.
		provider: AccountId,
		/// The block the window was opened in.
		opened_at: BlockNumber,
	},
	/// An account acting for the patient (a controller or guardian that was added or removed).
	Agent(AccountId),
	/// An anchored record.
	Record(RecordId),
}

/// The outcome of an audited action.
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
pub enum AuditOutcome {
	/// It happened.
	Success,
	/// It was attempted and denied.
	Denied(DenialReason),
}

/// Who performed an audited action.
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
pub enum AuditActor<AccountId> {
	/// A signed account.
	Account(AccountId),
	/// Consortium governance (a privileged origin, no single account).
	Governance,
}

/// One audit entry as the pallets hand it to the [`AuditSink`]. The sink adds the index, the
/// block and the time.
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
pub struct AuditEvent<AccountId, BlockNumber> {
	/// The patient the entry belongs to.
	pub patient: PatientId,
	/// Who acted (FHIR `agent`).
	pub actor: AuditActor<AccountId>,
	/// The actor's organisation, if it acted as a provider.
	pub organisation: Option<OrgId>,
	/// What happened.
	pub action: AuditAction,
	/// What it happened to.
	pub entity: AuditEntity<AccountId, BlockNumber>,
	/// The purpose of use, where one applies.
	pub purpose: Option<PurposeOfUse>,
	/// Whether it succeeded.
	pub outcome: AuditOutcome,
}

/// The one way the EHR pallets build an audit entry: [`AuditEvent::new`] with what every entry
/// has (patient, actor, action, entity), a success with no organisation and no purpose, then
/// the builder methods for what differs, then [`AuditEvent::append_to`] the trail.
impl<AccountId, BlockNumber> AuditEvent<AccountId, BlockNumber> {
	/// A successful `action` on `entity` of `patient` by `actor`, not as a provider, with no
	/// purpose of use.
	pub fn new(
		patient: PatientId,
		actor: AuditActor<AccountId>,
		action: AuditAction,
		entity: AuditEntity<AccountId, BlockNumber>,
	) -> Self {
		Self {
			patient,
			actor,
			organisation: None,
			action,
			entity,
			purpose: None,
			outcome: AuditOutcome::Success,
		}
	}

	/// Done by a provider of `organisation` (or by the patient side, `None`).
	pub fn organisation(mut self, organisation: Option<OrgId>) -> Self {
		self.organisation = organisation;
		self
	}

	/// For `purpose`, where one applies.
	pub fn purpose(mut self, purpose: Option<PurposeOfUse>) -> Self {
		self.purpose = purpose;
		self
	}

	/// With `outcome` (a denial, say) instead of success.
	pub fn outcome(mut self, outcome: AuditOutcome) -> Self {
		self.outcome = outcome;
		self
	}

	/// Appends the entry to its patient's trail through `Sink`.
	pub fn append_to<Sink: AuditSink<AccountId, BlockNumber>>(self) {
		Sink::append(self)
	}
}

/// Where audit entries go. `()` drops them (the events of the pallets still record every change).
pub trait AuditSink<AccountId, BlockNumber> {
	/// Appends an entry to the patient's audit trail.
	fn append(event: AuditEvent<AccountId, BlockNumber>);
}

impl<AccountId, BlockNumber> AuditSink<AccountId, BlockNumber> for () {
	fn append(_: AuditEvent<AccountId, BlockNumber>) {}
}

/// Who pays the deposit for state that a signed call creates.
///
/// Normally the signer. A call a sponsor submits for a patient's key (a meta transaction, see
/// `pallet-ehr-sponsor`) is paid for by the sponsor: the patient's key may hold nothing at all.
/// The pallets record the payer with the deposit, and release the deposit to it.
pub trait DepositPayer<AccountId> {
	/// The account the deposit of a call signed by `signer` is held from.
	fn payer(signer: &AccountId) -> AccountId;
}

/// The signer pays: for runtimes and tests without sponsorship.
impl<AccountId: Clone> DepositPayer<AccountId> for () {
	fn payer(signer: &AccountId) -> AccountId {
		signer.clone()
	}
}
