//! The findings of the runtime security review (`docs/security.md`) in the real runtime, through
//! signed extrinsics in built blocks: each test is named after its finding and failed on the
//! code before the fix.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use common::{
	account, ext_from_preset, registered_patient, signed, sudo, BlockBuilder, ExecuteChecked,
};
use ehr_primitives::{
	hashing::salted_digest, AccessDecision, AccessRequest, Action, Actions, DataCategory,
	DenialReason, DigestAlgorithm, Grantee, OrgId, ProviderRole, ProviderRoles, PurposeOfUse,
	Purposes, RecordId,
};
use ehr_runtime::{
	configs::WeightToFee, constants::currency::MILLIUNIT, EhrConsent, Runtime, RuntimeCall,
};
use polkadot_sdk::{
	frame_support::weights::{constants::ExtrinsicBaseWeight, WeightToFee as _},
	frame_system, pallet_xcm,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie},
	sp_runtime::DispatchError,
	staging_xcm::{latest::Location, VersionedLocation},
};

type RecordsError = pallet_ehr_records::Error<Runtime>;
type IdentityError = pallet_ehr_identity::Error<Runtime>;

fn lab_grant(
	patient: ehr_primitives::PatientId,
	grantee: Grantee<ehr_runtime::AccountId>,
) -> RuntimeCall {
	RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
		patient,
		grantee,
		categories: common::sealed(&[DataCategory::Laboratory]),
		actions: Actions::ALL,
		purposes: Purposes::from(PurposeOfUse::Treatment),
		roles: ProviderRoles::ALL,
		valid_from: 0,
		valid_until: None,
	})
}

/// Finding 1: a signed account that is no provider could append entries to any patient's
/// trail through `record_access`. Now it is refused and the trail is unchanged.
#[test]
fn finding_01_a_stranger_cannot_write_to_a_patients_trail() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(common::register_charlie());
		let patient = registered_patient();
		// Charlie anchors a document of her own (the patient side needs no consent).
		let anchor = RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_record {
			patient,
			category: common::tag(DataCategory::Laboratory),
			digest: salted_digest(DigestAlgorithm::Sha2_256, &[1; 32], b"a document"),
			locator: None,
			predecessor: None,
			purpose: PurposeOfUse::Treatment,
		});
		let (_, results) = builder.build(vec![signed(anchor, Charlie, 1)]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		let before = pallet_ehr_audit::Pallet::<Runtime>::trail_head(patient);
		let access = RuntimeCall::EhrRecords(pallet_ehr_records::Call::record_access {
			patient,
			record: pallet_ehr_records::Pallet::<Runtime>::record_id(&salted_digest(
				DigestAlgorithm::Sha2_256,
				&[1; 32],
				b"a document",
			)),
			purpose: PurposeOfUse::Treatment,
		});
		let (_, results) = builder.build(vec![signed(access, Eve, 0)]);
		assert_eq!(results, vec![Ok(Err(RecordsError::NotAccredited.into()))]);
		assert_eq!(pallet_ehr_audit::Pallet::<Runtime>::trail_head(patient), before);
	});
}

/// Finding 3: a grant with a `valid_from` in the past permitted the check at blocks before it
/// was made. Now the check at those blocks is denied.
#[test]
fn finding_03_a_grant_permits_nothing_before_the_block_it_was_made_in() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(common::register_charlie());
		let patient = registered_patient();
		builder.build(vec![]);
		// Block 3: Charlie grants Bob, "valid from block 0".
		let (_, results) = builder.build(vec![signed(
			lab_grant(patient, Grantee::Provider(account(Bob))),
			Charlie,
			1,
		)]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		let request = AccessRequest {
			patient,
			category: common::tag(DataCategory::Laboratory),
			action: Action::Read,
			purpose: PurposeOfUse::Treatment,
		};
		for before in [0, 1, 2] {
			assert_eq!(
				EhrConsent::check_access_at(&account(Bob), &request, before),
				AccessDecision::Denied(DenialReason::NoConsent),
				"at block {before}"
			);
		}
		assert!(EhrConsent::check_access_at(&account(Bob), &request, 3).is_permitted());
	});
}

/// Finding 4: an organisation's admin re-accredited a provider governance had revoked. Now it
/// cannot; and governance replaces an admin and suspends a whole organisation.
#[test]
fn finding_04_governance_decisions_over_an_organisation_hold() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		// The preset: organisation 0, admin Dave, Bob its physician; Alice is sudo (governance
		// on a dev chain).
		let revoke = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::revoke_provider {
			provider: account(Bob),
		});
		let (_, results) = builder.build(vec![signed(sudo(revoke), Alice, 0)]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		let accredit = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::accredit_provider {
			provider: account(Bob),
			organisation: OrgId(0),
			role: ProviderRole::Physician,
		});
		let (_, results) = builder.build(vec![signed(accredit, Dave, 0)]);
		assert_eq!(results, vec![Ok(Err(IdentityError::RevokedByGovernance.into()))]);

		// Governance makes Eve the admin, then suspends the organisation.
		let set_admin =
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::set_organisation_admin {
				organisation: OrgId(0),
				admin: Some(account(Eve)),
			});
		let suspend = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::suspend_organisation {
			organisation: OrgId(0),
		});
		let (_, results) =
			builder.build(vec![signed(sudo(set_admin), Alice, 1), signed(sudo(suspend), Alice, 2)]);
		assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(()))]);
		let accredit_charlie =
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::accredit_provider {
				provider: account(Charlie),
				organisation: OrgId(0),
				role: ProviderRole::Nurse,
			});
		let (_, results) = builder.build(vec![
			signed(accredit_charlie.clone(), Dave, 1),
			signed(accredit_charlie, Eve, 0),
		]);
		assert_eq!(
			results,
			vec![
				Ok(Err(IdentityError::NotOrganisationAdmin.into())),
				Ok(Err(IdentityError::OrganisationSuspended.into()))
			]
		);
	});
}

/// Finding 6: whoever saw a hospital's pending anchor could anchor the same digest first under
/// a patient identity of its own, which made the hospital's call fail. Digests are now unique
/// per patient.
#[test]
fn finding_06_a_squatted_digest_does_not_block_the_hospitals_anchor() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(common::register_charlie());
		let patient = registered_patient();
		let register_eve = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_patient {});
		builder.build(vec![
			signed(lab_grant(patient, Grantee::Organisation(OrgId(0))), Charlie, 1),
			signed(register_eve, Eve, 0),
		]);
		let eves = pallet_ehr_identity::PatientOf::<Runtime>::get(account(Eve)).expect("Eve's");
		let digest = salted_digest(DigestAlgorithm::Sha2_256, &[7; 32], b"discharge summary");
		let anchor = |patient| {
			RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_record {
				patient,
				category: common::tag(DataCategory::Laboratory),
				digest,
				locator: None,
				predecessor: None,
				purpose: PurposeOfUse::Treatment,
			})
		};
		// Eve's squat comes first in the block, the hospital's (Bob's) anchor second.
		let (_, results) =
			builder.build(vec![signed(anchor(eves), Eve, 1), signed(anchor(patient), Bob, 0)]);
		assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(()))]);
		let view = pallet_ehr_records::Pallet::<Runtime>::verify_digest(patient, digest)
			.expect("the hospital's record verifies");
		assert_eq!(view.author, Some(account(Bob)));
	});
}

/// Finding 8: `pallet_xcm::add_authorized_alias` let any signed account store alias entries
/// without a deposit, though the runtime accepts no aliases. The call is filtered out.
#[test]
fn finding_08_xcm_alias_authorisation_is_filtered_out() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let alias = RuntimeCall::PolkadotXcm(pallet_xcm::Call::add_authorized_alias {
			aliaser: Box::new(VersionedLocation::from(Location::parent())),
			expires: None,
		});
		let (_, results) = builder.build(vec![signed(alias, Eve, 0)]);
		assert_eq!(
			results,
			vec![Ok(Err(DispatchError::from(frame_system::Error::<Runtime>::CallFiltered)))]
		);
	});
}

/// Finding 11: the fee of the base extrinsic weight was 1/100 of what the runtime's own
/// documentation says (a tenth of a milli-unit).
#[test]
fn finding_11_the_base_extrinsic_weight_costs_a_tenth_of_a_milliunit() {
	let fee = WeightToFee::weight_to_fee(&ExtrinsicBaseWeight::get());
	assert_eq!(fee, MILLIUNIT / 10);
}

/// Finding 9: `anchor_record`, amendments and `record_access` run the consent check, but were
/// charged only their own benchmarks, whose setup never reached the check's worst case. Their
/// benchmarks now reach it themselves (an `ETREAT` request: the provider's ended emergency
/// window, then full lists of grants to the provider and to its organisation, the permitting
/// grant last), and the weight the runtime charges is exactly those benchmarks' weight: the
/// committed weights record the check's reads, and nothing is added twice.
#[test]
fn finding_09_calls_that_run_the_consent_check_are_charged_its_worst_case() {
	use pallet_ehr_consent::WeightInfo as _;
	use pallet_ehr_records::WeightInfo as _;
	use polkadot_sdk::frame_support::dispatch::GetDispatchInfo;
	type ConsentWeights = <Runtime as pallet_ehr_consent::Config>::WeightInfo;
	type RecordsWeights = <Runtime as pallet_ehr_records::Config>::WeightInfo;
	let digest = salted_digest(DigestAlgorithm::Sha2_256, &[1; 32], b"a document");
	let anchor = |predecessor| {
		RuntimeCall::EhrRecords(pallet_ehr_records::Call::anchor_record {
			patient: ehr_primitives::PatientId([1; 32]),
			category: common::tag(DataCategory::Laboratory),
			digest,
			locator: None,
			predecessor,
			purpose: PurposeOfUse::Treatment,
		})
		.get_dispatch_info()
		.call_weight
	};
	let access = RuntimeCall::EhrRecords(pallet_ehr_records::Call::record_access {
		patient: ehr_primitives::testing::patient_id(1),
		record: RecordId(0),
		purpose: PurposeOfUse::Treatment,
	})
	.get_dispatch_info()
	.call_weight;
	let charged = [
		("anchor_record", anchor(None), RecordsWeights::anchor_record()),
		("amend_record", anchor(Some(RecordId(0))), RecordsWeights::amend_record()),
		(
			"record_access",
			access,
			RecordsWeights::record_access(pallet_ehr_records::ACCESS_BENCHMARK_OTHERS),
		),
	];
	let check = ConsentWeights::check_access(pallet_ehr_consent::CHECK_BENCHMARK_OTHER_GRANTS);
	let weights = include_str!("../../pallets/records/src/weights.rs");
	for (call, charged, benchmarked) in charged {
		assert_eq!(charged, benchmarked, "{call} is charged its benchmark's weight");
		assert!(benchmarked.all_gte(check), "{call} costs at least the check alone");
		// What its benchmark read, as the committed weight file records it: the check's
		// worst case is among it.
		// The first implementation (`SubstrateWeight`, the runtime's), not the trait's line.
		let start = weights
			.match_indices(&format!("\tfn {call}("))
			.map(|(at, _)| at)
			.find(|at| weights[*at..].lines().next().is_some_and(|l| l.ends_with('{')))
			.expect("in the weight file");
		let docs = &weights[..start];
		let docs = &docs[docs.rfind(['{', '}']).unwrap_or(0)..];
		for item in [
			"`EhrConsent::EmergencyAccess` (r:1 w:0)",
			"`EhrConsent::Grants` (r:2 w:0)",
			"`EhrIdentity::Providers` (r:1 w:0)",
		] {
			assert!(docs.contains(item), "{call}'s benchmark did not read {item}:\n{docs}");
		}
	}
}

fn lab_request(patient: ehr_primitives::PatientId) -> AccessRequest {
	AccessRequest {
		patient,
		category: common::tag(DataCategory::Laboratory),
		action: Action::Read,
		purpose: PurposeOfUse::Treatment,
	}
}

/// Finding 16: a grant to an organisation admitted every role, so its researchers and
/// administrators had its physicians' access for treatment. Now a grant names the roles it
/// admits, and the check enforces them.
#[test]
fn finding_16_an_organisation_grant_admits_only_the_roles_it_names() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(common::register_charlie());
		let patient = registered_patient();
		// Dave, organisation 0's admin, accredits Ferdie as a researcher; Charlie grants the
		// organisation's clinical staff.
		let accredit = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::accredit_provider {
			provider: account(Ferdie),
			organisation: OrgId(0),
			role: ProviderRole::Researcher,
		});
		let grant = RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
			patient,
			grantee: Grantee::Organisation(OrgId(0)),
			categories: common::sealed(&[DataCategory::Laboratory]),
			actions: Actions::ALL,
			purposes: Purposes::from(PurposeOfUse::Treatment),
			roles: ProviderRoles::CLINICAL,
			valid_from: 0,
			valid_until: None,
		});
		let (_, results) =
			builder.build(vec![signed(accredit, Dave, 0), signed(grant, Charlie, 1)]);
		assert_eq!(results, vec![Ok(Ok(())), Ok(Ok(()))]);
		assert!(EhrConsent::check_access(&account(Bob), &lab_request(patient)).is_permitted());
		assert_eq!(
			EhrConsent::check_access(&account(Ferdie), &lab_request(patient)),
			AccessDecision::Denied(DenialReason::OutOfScope)
		);
	});
}

/// Finding 17: periods were counted in parachain blocks of 6 seconds, so with faster blocks a
/// grant "for a day" (or six years of audit retention) would end early. Now the EHR pallets
/// count relay-chain blocks: here the parachain makes three blocks per relay block, and a grant
/// valid until relay block 10 is in force through parachain block 30.
#[test]
fn finding_17_periods_are_counted_in_relay_blocks_whatever_the_parachain_block_time() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder { para_blocks_per_relay_block: 3, ..Default::default() };
		builder.build(common::register_charlie());
		let patient = registered_patient();
		let grant = RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
			patient,
			grantee: Grantee::Provider(account(Bob)),
			categories: common::sealed(&[DataCategory::Laboratory]),
			actions: Actions::ALL,
			purposes: Purposes::from(PurposeOfUse::Treatment),
			roles: ProviderRoles::ALL,
			valid_from: 0,
			valid_until: Some(10),
		});
		let (_, results) = builder.build(vec![signed(grant, Charlie, 1)]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		while builder.parent.number < 30 {
			builder.build(vec![]);
		}
		assert_eq!(frame_system::Pallet::<Runtime>::block_number(), 30);
		assert_eq!(pallet_ehr_audit::Pallet::<Runtime>::now(), 10);
		assert!(EhrConsent::check_access(&account(Bob), &lab_request(patient)).is_permitted());
		// Parachain block 31 builds on relay block 11: the grant has ended.
		builder.build(vec![]);
		assert_eq!(
			EhrConsent::check_access(&account(Bob), &lab_request(patient)),
			AccessDecision::Denied(DenialReason::ConsentExpired)
		);
		// Audit entries carry the same clock: the grant's entry is at relay block 1.
		let trail = pallet_ehr_audit::Pallet::<Runtime>::trail_entries(patient, 0, 10);
		assert!(trail.iter().all(|entry| entry.block == 1), "{trail:?}");
	});
}
