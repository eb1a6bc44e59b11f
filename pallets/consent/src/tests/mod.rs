//! Tests of the consent pallet. Each runs in [`ExtBuilder::build_and_execute`], which checks the
//! storage invariants afterwards.

use crate::{mock::*, *};
use ehr_primitives::{
	testing::{patient_id, RecordingAuditSink, TestPatients, TestProviders},
	ActForError, AuditAction, AuditActor, AuditEntity, CategoryTag, DataCategory, OrgId,
	PatientRegistry,
};
use polkadot_sdk::{
	frame_support::{
		assert_noop, assert_ok,
		dispatch::{DispatchResultWithPostInfo, Pays},
		traits::{fungible::InspectHold, Consideration},
	},
	sp_runtime::{DispatchError, DispatchResult, TokenError},
};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Laboratory and imaging, sealed with the patient's test key (padded with decoys).
fn labs() -> SealedCategories {
	ehr_primitives::testing::sealed(&patient(), &[DataCategory::Laboratory, DataCategory::Imaging])
}

fn read() -> Actions {
	Actions::from(Action::Read)
}

fn treatment() -> Purposes {
	Purposes::from(PurposeOfUse::Treatment)
}

/// Grants `grantee` reading labs and imaging for treatment from `from` to `until`, signed by
/// `by`: the call itself, for tests that expect it to fail.
fn grant_call(by: u64, grantee: Grantee<u64>, from: u64, until: Option<u64>) -> DispatchResult {
	EhrConsent::grant_consent(
		signed(by),
		patient(),
		grantee,
		labs(),
		read(),
		treatment(),
		ProviderRoles::ALL,
		from,
		until,
	)
}

/// A grant as calls name it: its grantee and id (the patient is always [`patient()`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct GrantRef {
	grantee: Grantee<u64>,
	id: ConsentId,
}

/// A grant that does not exist.
fn missing(grantee: Grantee<u64>) -> GrantRef {
	GrantRef { grantee, id: ConsentId(77) }
}

/// The newest grant of the patient to `grantee`.
fn newest(grantee: Grantee<u64>) -> GrantRef {
	let id = Grants::<Test>::get(patient(), grantee).last().expect("a grant").id();
	GrantRef { grantee, id }
}

/// As [`grant_call`], expecting success; returns the new grant.
fn grant(by: u64, grantee: Grantee<u64>, from: u64, until: Option<u64>) -> GrantRef {
	assert_ok!(grant_call(by, grantee, from, until));
	let granted = newest(grantee);
	System::assert_last_event(
		Event::ConsentGranted {
			consent_id: granted.id,
			patient: patient(),
			grantee,
			granted_by: by,
		}
		.into(),
	);
	granted
}

/// The stored grant.
fn stored(grant: GrantRef) -> Option<ConsentOf<Test>> {
	Grants::<Test>::get(patient(), grant.grantee)
		.into_iter()
		.find(|g| g.id() == grant.id)
}

fn revoke(by: u64, grant: GrantRef) -> DispatchResultWithPostInfo {
	EhrConsent::revoke_consent(signed(by), patient(), grant.grantee, grant.id)
}

fn reap(by: u64, grant: GrantRef) -> DispatchResult {
	EhrConsent::reap_consent(signed(by), patient(), grant.grantee, grant.id)
}

fn take_over(by: u64, grant: GrantRef) -> DispatchResult {
	EhrConsent::take_over_consent_deposit(signed(by), patient(), grant.grantee, grant.id)
}

fn request(category: DataCategory, action: Action, purpose: PurposeOfUse) -> AccessRequest {
	AccessRequest {
		patient: patient(),
		category: ehr_primitives::testing::tag(&patient(), category),
		action,
		purpose,
	}
}

fn lab_read() -> AccessRequest {
	request(DataCategory::Laboratory, Action::Read, PurposeOfUse::Treatment)
}

/// The patient registry's error for an account that may not act for the patient.
fn not_agent(error: ActForError) -> DispatchError {
	TestPatients::agent_error(error)
}

fn denied(reason: DenialReason) -> AccessDecision<u64> {
	AccessDecision::Denied(reason)
}

fn by_grant(grant: GrantRef) -> AccessDecision<u64> {
	AccessDecision::Permitted(AccessBasis::Grant(grant.id))
}

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::EhrConsent(reason), &who)
}

#[test]
fn try_state_detects_broken_invariants() {
	ExtBuilder::build().execute_with(|| {
		let first = grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		grant(ALICE, Grantee::Provider(DOCTOR), 1, None);
		assert_ok!(EhrConsent::do_try_state());
		let good = Grants::<Test>::get(patient(), Grantee::Provider(DOCTOR));
		let put = |grants: Vec<ConsentOf<Test>>| {
			Grants::<Test>::insert(
				patient(),
				Grantee::Provider(DOCTOR),
				polkadot_sdk::frame_support::BoundedVec::truncate_from(grants),
			)
		};
		// Two grants with one id.
		let mut twins = good.clone().into_inner();
		twins[1].terms.id = first.id;
		put(twins);
		assert!(EhrConsent::do_try_state().is_err());
		// A grant revoked before it was made.
		let mut early = good.clone().into_inner();
		early[0].terms.granted_at = 5;
		early[0].terms.revoked_at = Some(4);
		put(early);
		assert!(EhrConsent::do_try_state().is_err());
		// An empty list stored.
		put(vec![]);
		assert!(EhrConsent::do_try_state().is_err());
		put(good.into_inner());
		assert_ok!(EhrConsent::do_try_state());
		// A deposit that does not match the grants.
		grant(GUARDIAN, Grantee::Provider(NURSE), 1, None);
		assert_ok!(EhrConsent::do_try_state());
		assert_ok!(<Test as Config>::ConsentDeposit::new(
			&GUARDIAN,
			EhrConsent::consent_footprint()
		));
		assert!(EhrConsent::do_try_state().is_err());
	})
}

#[test]
fn consent_ids_follow_the_published_derivation() {
	ExtBuilder::build_and_execute(|| {
		go_to(9);
		let doctor = Grantee::Provider(DOCTOR);
		let a = grant(ALICE, doctor, 1, None);
		let b = grant(ALICE, doctor, 1, None);
		// BLAKE2b-256("ehr/consent-id/v1" ‖ SCALE(patient, grantee, granted_at, nonce)), the
		// first eight bytes little-endian; the second grant in the block takes nonce 1.
		let derive = |nonce: u32| {
			let hash = polkadot_sdk::sp_io::hashing::blake2_256(&codec::Encode::encode(&(
				b"ehr/consent-id/v1",
				patient(),
				doctor,
				9u64,
				nonce,
			)));
			ConsentId(u64::from_le_bytes(hash[..8].try_into().unwrap()))
		};
		assert_eq!(a.id, derive(0));
		assert_eq!(b.id, derive(1));
		assert_eq!(EhrConsent::consent_id(patient(), &doctor, 9, 1), b.id);
		// Reaping the first frees its nonce for the next grant in the same block.
		assert_ok!(revoke(ALICE, a));
		assert_ok!(reap(STRANGER, a));
		assert_eq!(grant(ALICE, doctor, 1, None).id, derive(0));
		// Another grantee, another id for the same block and nonce.
		assert_ne!(grant(ALICE, Grantee::Provider(NURSE), 1, None).id, a.id);
	})
}

mod emergency;
mod grant;
mod revoke_and_reap;
mod security;
