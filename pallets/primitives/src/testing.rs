//! Simple implementations of the glue traits, for testing one pallet without the others.
//!
//! They keep their state in thread-locals (each test runs on its own thread) and use `u64`
//! accounts and block numbers, as FRAME test runtimes do. Call [`reset`] at the start of a test
//! if a thread is reused.

use crate::{traits::*, types::*};
use std::{
	cell::RefCell,
	collections::{BTreeMap, BTreeSet},
};

/// A test account.
pub type AccountId = u64;
/// A test block number.
pub type BlockNumber = u64;

#[derive(Clone, Default)]
struct TestPatient {
	closed_at: Option<BlockNumber>,
	controllers: BTreeSet<AccountId>,
	/// Guardian → the block their term ends (exclusive), if any.
	guardians: BTreeMap<AccountId, Option<BlockNumber>>,
}

thread_local! {
	static PATIENTS: RefCell<BTreeMap<PatientId, TestPatient>> = const { RefCell::new(BTreeMap::new()) };
	static NOW: RefCell<BlockNumber> = const { RefCell::new(0) };
	static PROVIDERS: RefCell<BTreeMap<AccountId, (ProviderInfo, BlockNumber)>> = const { RefCell::new(BTreeMap::new()) };
	static ORGANISATIONS: RefCell<BTreeSet<OrgId>> = const { RefCell::new(BTreeSet::new()) };
	static SUSPENDED: RefCell<BTreeSet<AccountId>> = const { RefCell::new(BTreeSet::new()) };
	static AUDIT: RefCell<Vec<AuditEvent<AccountId, BlockNumber>>> = const { RefCell::new(Vec::new()) };
	static DECISION: RefCell<Option<AccessDecision<BlockNumber>>> = const { RefCell::new(None) };
}

/// Clears every test registry on this thread.
pub fn reset() {
	PATIENTS.with(|p| p.borrow_mut().clear());
	NOW.with(|n| *n.borrow_mut() = 0);
	PROVIDERS.with(|p| p.borrow_mut().clear());
	ORGANISATIONS.with(|o| o.borrow_mut().clear());
	SUSPENDED.with(|s| s.borrow_mut().clear());
	AUDIT.with(|a| a.borrow_mut().clear());
	DECISION.with(|d| *d.borrow_mut() = None);
}

/// A patient id for tests: `n` in the first byte.
pub fn patient_id(n: u8) -> PatientId {
	PatientId(core::array::from_fn(|i| if i == 0 { n } else { 0 }))
}

/// The category key tests give `patient`, derived from its id. A real patient's app draws
/// its key at random; a key derived from public data seals nothing.
pub fn category_key(patient: &PatientId) -> crate::sealing::CategoryKey {
	let mut data = b"ehr/test-category-key".to_vec();
	data.extend_from_slice(&patient.0);
	polkadot_sdk::sp_io::hashing::blake2_256(&data)
}

/// The tag of `category` of `patient` under its test key, epoch 0.
pub fn tag(patient: &PatientId, category: DataCategory) -> CategoryTag {
	crate::sealing::seal(&category_key(patient), 0, category)
}

/// The sealed set of `categories` of `patient` under its test key, epoch 0, with fixed decoys.
pub fn sealed(patient: &PatientId, categories: &[DataCategory]) -> SealedCategories {
	crate::sealing::seal_set(&category_key(patient), 0, categories, &[0; 32])
}

/// A [`PatientRegistry`] kept in a thread-local map.
pub struct TestPatients;

impl TestPatients {
	/// The block number guardian terms are compared with; tests keep it in step with
	/// `frame_system`.
	pub fn set_now(now: BlockNumber) {
		NOW.with(|n| *n.borrow_mut() = now);
	}

	/// Registers `patient` with one controller.
	pub fn register(patient: PatientId, controller: AccountId) {
		PATIENTS.with(|p| {
			p.borrow_mut().insert(
				patient,
				TestPatient { controllers: [controller].into(), ..Default::default() },
			)
		});
	}

	/// Adds a guardian whose term ends at `until` (exclusive), if given.
	pub fn add_guardian(patient: PatientId, guardian: AccountId, until: Option<BlockNumber>) {
		PATIENTS.with(|p| {
			if let Some(record) = p.borrow_mut().get_mut(&patient) {
				record.guardians.insert(guardian, until);
			}
		});
	}

	/// Closes `patient` at block `at`.
	pub fn close(patient: PatientId, at: BlockNumber) {
		PATIENTS.with(|p| {
			if let Some(record) = p.borrow_mut().get_mut(&patient) {
				record.closed_at = Some(at);
			}
		});
	}
}

impl PatientRegistry<AccountId, BlockNumber> for TestPatients {
	fn status(patient: &PatientId) -> Option<PatientStatus<BlockNumber>> {
		PATIENTS.with(|p| {
			p.borrow().get(patient).map(|record| match record.closed_at {
				Some(at) => PatientStatus::Closed { at },
				None => PatientStatus::Active,
			})
		})
	}

	fn agent(who: &AccountId, patient: &PatientId) -> Result<PatientAgent, ActForError> {
		let now = NOW.with(|n| *n.borrow());
		PATIENTS.with(|p| {
			let patients = p.borrow();
			let record = patients.get(patient).ok_or(ActForError::UnknownPatient)?;
			if record.closed_at.is_some() {
				return Err(ActForError::PatientClosed);
			}
			if record.controllers.contains(who) {
				return Ok(PatientAgent::Controller);
			}
			match record.guardians.get(who) {
				Some(until) if until.is_none_or(|end| now < end) => Ok(PatientAgent::Guardian),
				_ => Err(ActForError::NotAuthorized),
			}
		})
	}

	fn agent_error(error: ActForError) -> polkadot_sdk::sp_runtime::DispatchError {
		polkadot_sdk::sp_runtime::DispatchError::Other(match error {
			ActForError::UnknownPatient => "UnknownPatient",
			ActForError::PatientClosed => "PatientClosed",
			ActForError::NotAuthorized => "NotAuthorized",
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmark(controller: &AccountId) -> PatientId {
		let n = PATIENTS.with(|p| p.borrow().len());
		let counter = (n as u64).to_le_bytes();
		let patient = PatientId(core::array::from_fn(|i| counter.get(i).copied().unwrap_or(0xbe)));
		Self::register(patient, *controller);
		patient
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn close_for_benchmark(patient: &PatientId) {
		Self::close(*patient, NOW.with(|n| *n.borrow()));
	}
}

/// A [`ProviderRegistry`] kept in a thread-local map. Only active providers are stored:
/// suspending one removes it.
pub struct TestProviders;

impl TestProviders {
	/// Registers an organisation.
	pub fn add_organisation(org: OrgId) {
		ORGANISATIONS.with(|o| o.borrow_mut().insert(org));
	}

	/// Accredits `who` as an active provider (and registers its organisation), as of the
	/// block [`TestPatients::set_now`] last set.
	pub fn accredit(who: AccountId, organisation: OrgId, role: ProviderRole) {
		Self::add_organisation(organisation);
		let since = NOW.with(|n| *n.borrow());
		PROVIDERS
			.with(|p| p.borrow_mut().insert(who, (ProviderInfo { organisation, role }, since)));
	}

	/// Suspends `who`: it stays accredited, but not in force.
	pub fn suspend(who: AccountId) {
		SUSPENDED.with(|s| s.borrow_mut().insert(who));
	}

	/// Revokes `who`'s accreditation.
	pub fn revoke(who: AccountId) {
		PROVIDERS.with(|p| p.borrow_mut().remove(&who));
		SUSPENDED.with(|s| s.borrow_mut().remove(&who));
	}
}

impl ProviderRegistry<AccountId, BlockNumber> for TestProviders {
	fn accreditation(who: &AccountId) -> Option<Accreditation<BlockNumber>> {
		let active = !SUSPENDED.with(|s| s.borrow().contains(who));
		PROVIDERS.with(|p| {
			p.borrow().get(who).map(|(info, since)| Accreditation {
				info: *info,
				active,
				since: *since,
			})
		})
	}

	fn organisation_exists(org: OrgId) -> bool {
		ORGANISATIONS.with(|o| o.borrow().contains(&org))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn accredit_for_benchmark(who: &AccountId) -> ProviderInfo {
		let info = ProviderInfo { organisation: OrgId(0xbe), role: ProviderRole::Physician };
		Self::accredit(*who, info.organisation, info.role);
		info
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn reaccredit_for_benchmark(who: &AccountId, at: BlockNumber) {
		if let Some(info) = Self::active_provider(who) {
			Self::revoke(*who);
			Self::accredit(*who, info.organisation, info.role);
			PROVIDERS.with(|p| {
				if let Some((_, since)) = p.borrow_mut().get_mut(who) {
					*since = at;
				}
			});
		}
	}
}

/// A [`ConsentCheck`] that returns a decision set by the test, and denies with
/// [`DenialReason::NoConsent`] until one is set.
pub struct TestConsent;

impl TestConsent {
	/// The decision every later check returns.
	pub fn set_decision(decision: AccessDecision<BlockNumber>) {
		DECISION.with(|d| *d.borrow_mut() = Some(decision));
	}
}

impl ConsentCheck<AccountId, BlockNumber> for TestConsent {
	fn check_at(_: &AccountId, _: &AccessRequest, _: BlockNumber) -> AccessDecision<BlockNumber> {
		DECISION
			.with(|d| *d.borrow())
			.unwrap_or(AccessDecision::Denied(DenialReason::NoConsent))
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn permit_for_benchmark(_: &AccountId, _: &AccountId, _: &AccessRequest, _: u32) {
		Self::set_decision(AccessDecision::Permitted(AccessBasis::Grant(ConsentId(0))));
	}
}

/// An [`AuditSink`] that keeps every entry in a thread-local list, for tests to inspect.
pub struct RecordingAuditSink;

impl RecordingAuditSink {
	/// Takes every entry appended so far, oldest first.
	pub fn take() -> Vec<AuditEvent<AccountId, BlockNumber>> {
		AUDIT.with(|a| core::mem::take(&mut *a.borrow_mut()))
	}
}

impl AuditSink<AccountId, BlockNumber> for RecordingAuditSink {
	fn append(event: AuditEvent<AccountId, BlockNumber>) {
		AUDIT.with(|a| a.borrow_mut().push(event));
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn patients_controllers_guardians_and_closing() {
		reset();
		let p = patient_id(1);
		assert_eq!(TestPatients::status(&p), None);
		assert_eq!(TestPatients::agent(&1, &p), Err(ActForError::UnknownPatient));
		TestPatients::register(p, 1);
		TestPatients::add_guardian(p, 2, Some(10));
		assert!(TestPatients::is_active(&p));
		assert_eq!(TestPatients::agent(&1, &p), Ok(PatientAgent::Controller));
		assert_eq!(TestPatients::agent(&3, &p), Err(ActForError::NotAuthorized));
		TestPatients::set_now(9);
		assert_eq!(TestPatients::agent(&2, &p), Ok(PatientAgent::Guardian));
		TestPatients::set_now(10);
		assert_eq!(TestPatients::agent(&2, &p), Err(ActForError::NotAuthorized));
		TestPatients::close(p, 11);
		assert_eq!(TestPatients::status(&p), Some(PatientStatus::Closed { at: 11 }));
		assert_eq!(TestPatients::agent(&1, &p), Err(ActForError::PatientClosed));
	}

	#[test]
	fn providers_consent_and_audit() {
		reset();
		TestProviders::accredit(5, OrgId(1), ProviderRole::Nurse);
		assert!(TestProviders::organisation_exists(OrgId(1)));
		assert!(!TestProviders::organisation_exists(OrgId(2)));
		assert_eq!(
			TestProviders::active_provider(&5),
			Some(ProviderInfo { organisation: OrgId(1), role: ProviderRole::Nurse })
		);
		TestProviders::suspend(5);
		assert_eq!(TestProviders::active_provider(&5), None);
		assert_eq!(TestProviders::accreditation(&5).map(|a| a.active), Some(false));
		TestProviders::revoke(5);
		assert_eq!(TestProviders::accreditation(&5), None);

		let request = AccessRequest {
			patient: patient_id(1),
			category: tag(&patient_id(1), DataCategory::Laboratory),
			action: Action::Read,
			purpose: PurposeOfUse::Treatment,
		};
		assert_eq!(
			TestConsent::check_at(&5, &request, 1),
			AccessDecision::Denied(DenialReason::NoConsent)
		);
		TestConsent::set_decision(AccessDecision::Permitted(AccessBasis::Grant(ConsentId(3))));
		assert!(TestConsent::check_at(&5, &request, 1).is_permitted());

		let entry = AuditEvent {
			patient: patient_id(1),
			actor: AuditActor::Account(5),
			organisation: Some(OrgId(1)),
			action: AuditAction::ConsentGranted,
			entity: AuditEntity::Consent(ConsentId(3)),
			purpose: None,
			outcome: AuditOutcome::Success,
		};
		RecordingAuditSink::append(entry);
		assert_eq!(RecordingAuditSink::take(), vec![entry]);
		assert!(RecordingAuditSink::take().is_empty());
	}
}
