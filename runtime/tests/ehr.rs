//! The EHR pallets inside the real runtime: identity, accreditation and a grant / check / revoke
//! flow through signed extrinsics in blocks built like a collator builds them, re-executed as an
//! importing node would; and a check that no storage item or event of these pallets can hold
//! free text.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use common::{account, ext_from_preset, registered_patient, signed, BlockBuilder, ExecuteChecked};
use ehr_primitives::{
	AccessBasis, AccessDecision, AccessRequest, Action, Actions, DataCategory, DenialReason,
	Grantee, OrgId, PatientId, ProviderRole, PurposeOfUse, Purposes,
};
use ehr_runtime::{Balances, EhrConsent, Executive, Runtime, RuntimeCall, RuntimeHoldReason};
use frame_metadata::{v15::RuntimeMetadataV15, RuntimeMetadata, RuntimeMetadataPrefixed};
use polkadot_sdk::{
	frame_support::traits::fungible::InspectHold,
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie},
};
use std::collections::BTreeSet;

#[test]
fn grant_check_revoke_through_signed_extrinsics() {
	let mut builder = BlockBuilder::default();
	let mut blocks = Vec::new();
	let mut patient = PatientId([0; 32]);
	let lab_read = |patient| AccessRequest {
		patient,
		category: common::tag(DataCategory::Laboratory),
		action: Action::Read,
		purpose: PurposeOfUse::Treatment,
	};

	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		// Block 1: Charlie registers a patient identity (the preset has Bob accredited in
		// organisation 0).
		let (block, results) = builder.build(common::register_charlie());
		assert!(results.iter().all(|r| matches!(r, Ok(Ok(())))), "{results:?}");
		blocks.push(block);
		patient = registered_patient();
		let identity_hold =
			RuntimeHoldReason::EhrIdentity(pallet_ehr_identity::HoldReason::PatientDeposit);
		assert!(Balances::balance_on_hold(&identity_hold, &account(Charlie)) > 0);
		assert_eq!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Denied(DenialReason::NoConsent)
		);

		// Block 2: Charlie grants Bob reading labs for treatment.
		let (block, results) = builder.build(vec![signed(
			RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
				patient,
				grantee: Grantee::Provider(account(Bob)),
				categories: common::sealed(&[DataCategory::Laboratory]),
				actions: Actions::from(Action::Read),
				purposes: Purposes::from(PurposeOfUse::Treatment),
				roles: ehr_primitives::ProviderRoles::ALL,
				valid_from: 0,
				valid_until: None,
			}),
			Charlie,
			1,
		)]);
		assert_eq!(results[0], Ok(Ok(())));
		blocks.push(block);
		// The grant's id, derived from the patient, the grantee and the (relay) block.
		let bob = Grantee::Provider(account(Bob));
		let grant = pallet_ehr_consent::Grants::<Runtime>::get(patient, &bob)
			.last()
			.expect("granted")
			.clone();
		let consent_id = grant.id();
		assert_eq!(consent_id, EhrConsent::consent_id(patient, &bob, grant.terms.granted_at, 0));
		assert_eq!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Permitted(AccessBasis::Grant(consent_id))
		);
		let consent_hold =
			RuntimeHoldReason::EhrConsent(pallet_ehr_consent::HoldReason::ConsentDeposit);
		assert!(Balances::balance_on_hold(&consent_hold, &account(Charlie)) > 0);
		// The check compares sealed tags: another category's tag, or the laboratory slot under
		// another key epoch, is out of scope.
		let lab = common::tag(DataCategory::Laboratory);
		for other in [
			common::tag(DataCategory::Genomics),
			common::tag(DataCategory::SubstanceUse),
			ehr_primitives::CategoryTag { epoch: 1, slot: lab.slot },
		] {
			assert_eq!(
				EhrConsent::check_access(
					&account(Bob),
					&AccessRequest { category: other, ..lab_read(patient) }
				),
				AccessDecision::Denied(DenialReason::OutOfScope),
				"{other:?}"
			);
		}

		// Block 3: Charlie revokes, free of fees; the check is denied at once, and still
		// permitted when asked about block 2.
		let free_before = Balances::free_balance(account(Charlie));
		let (block, results) = builder.build(vec![signed(
			RuntimeCall::EhrConsent(pallet_ehr_consent::Call::revoke_consent {
				patient,
				grantee: bob.clone(),
				consent_id,
			}),
			Charlie,
			2,
		)]);
		assert_eq!(results[0], Ok(Ok(())));
		blocks.push(block);
		assert_eq!(Balances::free_balance(account(Charlie)), free_before, "revoking is free");
		assert_eq!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Denied(DenialReason::ConsentRevoked)
		);
		assert!(EhrConsent::check_access_at(&account(Bob), &lab_read(patient), 2).is_permitted());
	});

	// An importing node reaches the same state.
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!(
			EhrConsent::check_access(&account(Bob), &lab_read(patient)),
			AccessDecision::Denied(DenialReason::ConsentRevoked)
		);
	});
}

#[test]
fn an_organisation_admin_accredits_its_own_staff_only() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		// Block 1: governance (sudo on a dev chain) registers organisation 1 (admin Eve); the
		// preset has organisation 0 (admin Dave) with Bob as its provider.
		let mut setup = common::register_charlie();
		setup.push(signed(
			common::sudo(RuntimeCall::EhrIdentity(
				pallet_ehr_identity::Call::register_organisation { admin: account(Eve) },
			)),
			Alice,
			0,
		));
		let (_, results) = builder.build(setup);
		assert!(results.iter().all(|r| matches!(r, Ok(Ok(())))), "{results:?}");

		// Block 2: Dave accredits Ferdie into organisation 0; Eve tries to accredit Ferdie into
		// organisation 0 too and to suspend Bob; Dave suspends Bob.
		let accredit = |organisation| {
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::accredit_provider {
				provider: account(Ferdie),
				organisation: OrgId(organisation),
				role: ProviderRole::Nurse,
			})
		};
		let suspend_bob = || {
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::suspend_provider {
				provider: account(Bob),
			})
		};
		let (_, results) = builder.build(vec![
			signed(accredit(0), Eve, 0),
			signed(suspend_bob(), Eve, 1),
			signed(accredit(0), Dave, 0),
			signed(suspend_bob(), Dave, 1),
		]);
		let not_admin: polkadot_sdk::sp_runtime::DispatchError =
			pallet_ehr_identity::Error::<Runtime>::NotOrganisationAdmin.into();
		assert_eq!(results, vec![Ok(Err(not_admin)), Ok(Err(not_admin)), Ok(Ok(())), Ok(Ok(()))]);
		use ehr_primitives::ProviderRegistry;
		assert_eq!(
			pallet_ehr_identity::Pallet::<Runtime>::active_provider(&account(Ferdie))
				.map(|p| p.organisation),
			Some(OrgId(0))
		);
		assert_eq!(pallet_ehr_identity::Pallet::<Runtime>::active_provider(&account(Bob)), None);
	});
}

#[test]
fn a_stranger_cannot_grant_for_a_patient() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		builder.build(vec![signed(
			RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_patient {}),
			Charlie,
			0,
		)]);
		let patient = registered_patient();
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::EhrConsent(pallet_ehr_consent::Call::grant_consent {
				patient,
				grantee: Grantee::Organisation(OrgId(0)),
				categories: common::sealed(DataCategory::ALL),
				actions: Actions::ALL,
				purposes: Purposes::ALL,
				roles: ehr_primitives::ProviderRoles::ALL,
				valid_from: 0,
				valid_until: None,
			}),
			Dave,
			0,
		)]);
		let error = results[0].expect("valid transaction").expect_err("dispatch fails");
		assert_eq!(
			error,
			pallet_ehr_identity::Error::<Runtime>::NotAuthorized.into(),
			"Dave is neither a controller nor a guardian"
		);
	});
}

/// Type ids reachable from `id` in the metadata's registry.
fn reachable(metadata: &RuntimeMetadataV15, id: u32, seen: &mut BTreeSet<u32>) {
	use scale_info::TypeDef;
	if !seen.insert(id) {
		return;
	}
	let ty = metadata.types.resolve(id).expect("type in registry");
	let children: Vec<u32> = match &ty.type_def {
		TypeDef::Composite(c) => c.fields.iter().map(|f| f.ty.id).collect(),
		TypeDef::Variant(v) => {
			v.variants.iter().flat_map(|v| v.fields.iter().map(|f| f.ty.id)).collect()
		},
		TypeDef::Sequence(s) => vec![s.type_param.id],
		TypeDef::Array(a) => vec![a.type_param.id],
		TypeDef::Tuple(t) => t.fields.iter().map(|f| f.id).collect(),
		TypeDef::Compact(c) => vec![c.type_param.id],
		TypeDef::Primitive(_) | TypeDef::BitSequence(_) => vec![],
	};
	for child in children {
		reachable(metadata, child, seen);
	}
}

/// The runtime's metadata (v15), decoded.
fn metadata() -> RuntimeMetadataV15 {
	// Metadata needs no chain state: empty externalities (so no invariants to check).
	let opaque = polkadot_sdk::sp_io::TestExternalities::default()
		.execute_with(|| Runtime::metadata_at_version(15))
		.expect("metadata v15");
	let prefixed = <RuntimeMetadataPrefixed as codec::Decode>::decode(&mut &opaque[..])
		.expect("metadata decodes");
	let RuntimeMetadata::V15(metadata) = prefixed.1 else { panic!("v15 requested") };
	metadata
}

/// The EHR pallets whose storage, events and calls the privacy threat model covers.
const EHR_PALLETS: [&str; 5] =
	["EhrIdentity", "EhrConsent", "EhrAudit", "EhrRecords", "EhrSponsor"];

/// The root types of a pallet: its storage keys and values, its event and its call.
fn pallet_roots(metadata: &RuntimeMetadataV15, name: &str) -> Vec<u32> {
	let pallet = metadata.pallets.iter().find(|p| p.name == name).expect("pallet present");
	let mut roots = Vec::new();
	for entry in pallet.storage.as_ref().map(|s| &s.entries[..]).unwrap_or_default() {
		match &entry.ty {
			frame_metadata::v15::StorageEntryType::Plain(ty) => roots.push(ty.id),
			frame_metadata::v15::StorageEntryType::Map { key, value, .. } => {
				roots.push(key.id);
				roots.push(value.id);
			},
		}
	}
	roots.extend(pallet.event.as_ref().map(|e| e.ty.id));
	roots.extend(pallet.calls.as_ref().map(|c| c.ty.id));
	roots
}

/// No storage item, event or call argument of the EHR pallets can hold free text, and none
/// holds a data category in clear: categories are sealed tags (docs/privacy.md).
#[test]
fn no_storage_item_event_or_call_of_the_ehr_pallets_holds_free_text_or_a_clear_category() {
	use scale_info::{TypeDef, TypeDefPrimitive};
	let metadata = metadata();
	for name in EHR_PALLETS {
		let mut seen = BTreeSet::new();
		for root in pallet_roots(&metadata, name) {
			reachable(&metadata, root, &mut seen);
		}
		// The walk reaches the domain types (so it is not vacuous).
		let idents: BTreeSet<String> = seen
			.iter()
			.filter_map(|id| metadata.types.resolve(*id).and_then(|t| t.path.ident()))
			.collect();
		if name != "EhrSponsor" {
			assert!(idents.contains("PatientId"), "{name}: PatientId is reachable");
		}
		for clear in ["DataCategory", "DataCategories"] {
			assert!(
				!idents.contains(clear),
				"{name}: {clear} is reachable from storage, events or calls: a category in clear"
			);
		}
		if name == "EhrRecords" || name == "EhrConsent" {
			assert!(
				idents.contains("CategoryTag") || idents.contains("SealedCategories"),
				"{name}: the sealed category types are reachable"
			);
		}
		for id in seen {
			let ty = metadata.types.resolve(id).expect("type in registry");
			// The sponsor's call carries the runtime's call enum, which reaches every pallet's
			// calls, including `System::remark` and the SDK's own byte vectors: the EHR
			// pallets' own types are checked through their own roots.
			if name == "EhrSponsor" {
				continue;
			}
			match &ty.type_def {
				TypeDef::Primitive(TypeDefPrimitive::Str) => {
					panic!("{name}: a string type is reachable: {:?}", ty.path)
				},
				TypeDef::Sequence(s) => {
					let element = metadata.types.resolve(s.type_param.id).expect("element");
					assert!(
						!matches!(element.type_def, TypeDef::Primitive(TypeDefPrimitive::U8)),
						"{name}: a variable-length byte sequence is reachable ({:?}); free text \
						 could be stored in it",
						ty.path
					);
				},
				_ => {},
			}
		}
	}
}

/// The entries `docs/privacy.md` must list: every storage item, every event with its fields and
/// every call with its arguments of the EHR pallets, as `Pallet.Item`, `Pallet.Event{fields}`
/// and `Pallet.call(args)`.
fn privacy_table_entries(metadata: &RuntimeMetadataV15) -> Vec<String> {
	use scale_info::TypeDef;
	let mut entries = Vec::new();
	let variants = |id: u32| -> Vec<String> {
		let ty = metadata.types.resolve(id).expect("type");
		let TypeDef::Variant(v) = &ty.type_def else { panic!("events and calls are enums") };
		v.variants
			.iter()
			.map(|v| {
				let fields: Vec<&str> = v.fields.iter().filter_map(|f| f.name.as_deref()).collect();
				format!("{}|{}", v.name, fields.join(", "))
			})
			.collect()
	};
	for name in EHR_PALLETS {
		let pallet = metadata.pallets.iter().find(|p| p.name == name).expect("pallet present");
		for entry in pallet.storage.as_ref().map(|s| &s.entries[..]).unwrap_or_default() {
			entries.push(format!("`{name}.{}`", entry.name));
		}
		for v in pallet.event.as_ref().map(|e| variants(e.ty.id)).unwrap_or_default() {
			let (variant, fields) = v.split_once('|').expect("separator");
			entries.push(format!("`{name}.{variant}{{{fields}}}`"));
		}
		for v in pallet.calls.as_ref().map(|c| variants(c.ty.id)).unwrap_or_default() {
			let (call, args) = v.split_once('|').expect("separator");
			entries.push(format!("`{name}.{call}({args})`"));
		}
	}
	entries
}

/// `docs/privacy.md` lists every storage item, event (with its fields) and call (with its
/// arguments) of the EHR pallets, so the threat model cannot fall behind the code: a new field
/// or argument fails this test until the table says what it reveals.
#[test]
fn the_privacy_threat_model_lists_every_storage_item_event_and_call() {
	let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/privacy.md"))
		.expect("docs/privacy.md");
	let expected = privacy_table_entries(&metadata());
	let missing: Vec<&String> =
		expected.iter().filter(|entry| !doc.contains(entry.as_str())).collect();
	assert!(
		missing.is_empty(),
		"docs/privacy.md does not list (add a row saying what each reveals):\n{}",
		missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
	);
	// Nor does it keep rows for what the code no longer has: a table row is
	// `| storage|event|call | `entry` | ...`.
	let stale: Vec<&str> = doc
		.lines()
		.filter(|line| {
			["| storage | ", "| event | ", "| call | "].iter().any(|p| line.starts_with(p))
		})
		.filter_map(|line| line.split(" | ").nth(1))
		.filter(|entry| !expected.iter().any(|e| e == entry))
		.collect();
	assert!(
		stale.is_empty(),
		"docs/privacy.md lists what the runtime no longer has (remove or correct the rows):\n{}",
		stale.join("\n")
	);
}

/// Issue 18: the bulk calls' bounds are the most that fit. A full `record_accesses` or
/// `anchor_records` weighs at most one normal extrinsic's maximum, by ref time and by proof size
/// (so such a call can be included at all), and twice the bound would not fit (so the bound is not
/// set far below what a block takes).
#[test]
fn a_full_bulk_call_fits_one_extrinsic_and_twice_as_many_would_not() {
	use ehr_runtime::configs::ehr::{MAX_BULK_ACCESSES, MAX_BULK_ANCHORS};
	use pallet_ehr_records::WeightInfo as _;
	use polkadot_sdk::frame_support::dispatch::DispatchClass;
	type Weights = <Runtime as pallet_ehr_records::Config>::WeightInfo;
	let limits = <Runtime as polkadot_sdk::frame_system::Config>::BlockWeights::get();
	let max = limits
		.get(DispatchClass::Normal)
		.max_extrinsic
		.expect("normal extrinsics are limited");
	for (call, bound, weight) in [
		(
			"record_accesses",
			MAX_BULK_ACCESSES,
			Weights::record_accesses as fn(u32) -> polkadot_sdk::frame_support::weights::Weight,
		),
		(
			"anchor_records",
			MAX_BULK_ANCHORS,
			Weights::anchor_records as fn(u32) -> polkadot_sdk::frame_support::weights::Weight,
		),
	] {
		let full = weight(bound);
		assert!(full.all_lte(max), "{call}({bound}) weighs {full:?}, more than {max:?}");
		let double = weight(bound * 2);
		assert!(!double.all_lte(max), "{call}({}) would fit too: {double:?}", bound * 2);
	}
}
