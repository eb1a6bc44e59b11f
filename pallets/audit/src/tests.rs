//! Tests of the audit pallet: appending, the hash chain and its tamper evidence, pruning past
//! the retention period, paging and the accounting of disclosures.

use crate::{mock::*, pallet::*, types::*, Error};
use codec::Encode;
use ehr_primitives::{
	AuditAction, AuditActor, AuditOutcome, AuditSink, DenialReason, PurposeOfUse,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	sp_io::hashing::blake2_256,
	sp_runtime::DispatchError,
};

/// The head a verifier computes from a copy of the trail, written out without the pallet's
/// helpers: BLAKE2b-256 of the previous head followed by the SCALE encoding of the entry.
fn recompute(anchor: [u8; 32], entries: &[AuditEntryOf<Test>]) -> [u8; 32] {
	let mut head = anchor;
	for entry in entries {
		let mut data = head.to_vec();
		data.extend(entry.encode());
		head = blake2_256(&data);
	}
	head
}

fn hex(s: &str) -> [u8; 32] {
	let bytes: Vec<u8> = (0..64)
		.step_by(2)
		.map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
		.collect();
	bytes.try_into().unwrap()
}

/// Appends `n` entries, one per block from the current one on, alternating grants and accesses.
fn fill(n: u64) {
	for i in 0..n {
		if i % 2 == 0 {
			Audit::append(grant(i));
		} else {
			Audit::append(access(i, AuditOutcome::Success));
		}
		System::set_block_number(System::block_number() + 1);
	}
}

#[test]
fn the_genesis_head_matches_the_reference_vector() {
	// python3 -c "import hashlib; print(hashlib.blake2b(b'ehr/audit/v1' + bytes([1] + [0]*31),
	//   digest_size=32).hexdigest())"
	assert_eq!(
		genesis_head(&patient()),
		hex("475d73bcd78bf521e53fe75686385f060c4495f7d84503094663f6f751db76fc")
	);
}

#[test]
fn entries_get_an_index_the_block_the_time_and_extend_the_chain() {
	ExtBuilder::build_and_execute(|| {
		assert_eq!(Audit::trail_head(patient()), None);
		<Audit as AuditSink<_, _>>::append(grant(7));
		System::set_block_number(3);
		<Audit as AuditSink<_, _>>::append(access(
			2,
			AuditOutcome::Denied(DenialReason::NoConsent),
		));

		let entries = Audit::trail_entries(patient(), 0, 10);
		assert_eq!(entries.len(), 2);
		let second = entries[1];
		assert_eq!((second.index, second.block, second.time), (1, 3, 3 * BLOCK_MS));
		assert_eq!(second.actor, AuditActor::Account(DOCTOR));
		assert_eq!(second.outcome, AuditOutcome::Denied(DenialReason::NoConsent));
		assert_eq!(second.purpose, Some(PurposeOfUse::Treatment));
		assert_eq!((entries[0].index, entries[0].block), (0, 1));

		let trail = Audit::trail_head(patient()).unwrap();
		assert_eq!((trail.count, trail.first_retained), (2, 0));
		assert_eq!(trail.anchor, genesis_head(&patient()));
		assert_eq!(trail.head, recompute(genesis_head(&patient()), &entries));
		System::assert_last_event(
			Event::EntryAppended {
				patient: patient(),
				index: 1,
				action: AuditAction::RecordAccessed,
				outcome: AuditOutcome::Denied(DenialReason::NoConsent),
				head: trail.head,
			}
			.into(),
		);
		// Another patient's trail is separate and starts from its own genesis head.
		let other = ehr_primitives::testing::patient_id(2);
		Audit::append(ehr_primitives::AuditEvent { patient: other, ..grant(1) });
		let theirs = Audit::trail_head(other).unwrap();
		assert_eq!(theirs.count, 1);
		assert_eq!(
			theirs.head,
			recompute(genesis_head(&other), &Audit::trail_entries(other, 0, 5))
		);
	});
}

#[test]
fn any_tampered_entry_changes_the_head() {
	ExtBuilder::build_and_execute(|| {
		fill(4);
		let entries = Audit::trail_entries(patient(), 0, 10);
		let head = Audit::trail_head(patient()).unwrap().head;
		let genesis = genesis_head(&patient());
		assert_eq!(recompute(genesis, &entries), head);

		let tampered: Vec<Box<dyn Fn(&mut AuditEntryOf<Test>)>> = vec![
			Box::new(|e| e.index += 1),
			Box::new(|e| e.block += 1),
			Box::new(|e| e.time += 1),
			Box::new(|e| e.actor = AuditActor::Governance),
			Box::new(|e| {
				e.organisation =
					if e.organisation.is_some() { None } else { Some(ehr_primitives::OrgId(9)) }
			}),
			Box::new(|e| e.action = AuditAction::RecordErased),
			Box::new(|e| e.purpose = Some(PurposeOfUse::Research)),
			Box::new(|e| e.outcome = AuditOutcome::Denied(DenialReason::ConsentRevoked)),
		];
		for (position, _) in entries.iter().enumerate() {
			for tamper in &tampered {
				let mut copy = entries.clone();
				tamper(&mut copy[position]);
				assert_ne!(recompute(genesis, &copy), head, "entry {position} tampered");
			}
		}
		// A dropped entry, a swapped pair, an inserted copy.
		let mut dropped = entries.clone();
		dropped.remove(1);
		assert_ne!(recompute(genesis, &dropped), head);
		let mut swapped = entries.clone();
		swapped.swap(1, 2);
		assert_ne!(recompute(genesis, &swapped), head);
		let mut inserted = entries.clone();
		inserted.insert(2, entries[2]);
		assert_ne!(recompute(genesis, &inserted), head);
	});
}

#[test]
fn try_state_detects_an_entry_rewritten_in_storage() {
	ExtBuilder::build().execute_with(|| {
		fill(3);
		assert_ok!(Audit::do_try_state());
		Entries::<Test>::mutate(patient(), 1, |entry| {
			entry.as_mut().unwrap().outcome = AuditOutcome::Denied(DenialReason::NoConsent)
		});
		assert!(Audit::do_try_state().is_err());
	});
	ExtBuilder::build().execute_with(|| {
		fill(3);
		Entries::<Test>::remove(patient(), 2);
		assert!(Audit::do_try_state().is_err());
	});
}

#[test]
fn prune_removes_only_entries_past_retention_and_keeps_the_chain_checkable() {
	ExtBuilder::build_and_execute(|| {
		fill(6); // entries 0..6 in blocks 1..=6
		   // A copy of the whole trail, in pages of at most PAGE entries.
		let mut full_copy = Audit::trail_entries(patient(), 0, PAGE);
		full_copy.extend(Audit::trail_entries(patient(), PAGE as u64, PAGE));
		assert_eq!(full_copy.len(), 6);
		let head = Audit::trail_head(patient()).unwrap().head;

		// Entry 0 (block 1) may go at block 1 + RETENTION, not before.
		System::set_block_number(RETENTION);
		assert_noop!(
			Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), 5),
			Error::<Test>::NothingToPrune
		);
		System::set_block_number(RETENTION + 3);
		assert_noop!(
			Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), 0),
			Error::<Test>::NothingToPrune
		);
		assert_ok!(Audit::prune_trail(RuntimeOrigin::signed(DOCTOR), patient(), 5));
		let trail = Audit::trail_head(patient()).unwrap();
		assert_eq!((trail.count, trail.first_retained), (6, 3));
		assert_eq!(trail.head, head, "pruning does not move the head");
		assert_eq!(trail.anchor, recompute(genesis_head(&patient()), &full_copy[..3]));
		System::assert_last_event(
			Event::TrailPruned {
				patient: patient(),
				removed: 3,
				first_retained: 3,
				anchor: trail.anchor,
			}
			.into(),
		);
		// What is left folds onto the head from the anchor; the copy taken before still checks.
		let rest = Audit::trail_entries(patient(), 0, 10);
		assert_eq!(rest.iter().map(|e| e.index).collect::<Vec<_>>(), vec![3, 4, 5]);
		assert_eq!(recompute(trail.anchor, &rest), head);
		assert_eq!(recompute(genesis_head(&patient()), &full_copy), head);
		// New entries still chain on.
		Audit::append(grant(9));
		assert_eq!(Audit::trail_head(patient()).unwrap().count, 7);
	});
}

#[test]
fn prune_is_bounded_by_the_page_size() {
	ExtBuilder::build_and_execute(|| {
		fill(8);
		System::set_block_number(1_000);
		assert_ok!(Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), u32::MAX));
		assert_eq!(Audit::trail_head(patient()).unwrap().first_retained, PAGE as u64);
		assert_ok!(Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), u32::MAX));
		assert_eq!(Audit::trail_head(patient()).unwrap().first_retained, 8);
		assert_noop!(
			Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), 1),
			Error::<Test>::NothingToPrune
		);
	});
}

#[test]
fn prune_needs_a_signed_origin_and_a_trail() {
	ExtBuilder::build_and_execute(|| {
		assert_noop!(
			Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), 1),
			Error::<Test>::TrailNotFound
		);
		assert_noop!(
			Audit::prune_trail(RuntimeOrigin::none(), patient(), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn paging_is_clamped_and_starts_at_the_oldest_stored_entry() {
	ExtBuilder::build_and_execute(|| {
		fill(8);
		let indices = |from, limit| {
			Audit::trail_entries(patient(), from, limit)
				.iter()
				.map(|e| e.index)
				.collect::<Vec<_>>()
		};
		assert_eq!(indices(0, 3), vec![0, 1, 2]);
		assert_eq!(indices(6, 10), vec![6, 7]);
		assert_eq!(indices(0, 100).len(), PAGE as usize);
		assert!(indices(8, 5).is_empty());
		System::set_block_number(1_000);
		assert_ok!(Audit::prune_trail(RuntimeOrigin::signed(ALICE), patient(), 2));
		assert_eq!(indices(0, 2), vec![2, 3]);
	});
}

#[test]
fn disclosures_list_successful_accesses_by_providers_in_the_time_range() {
	ExtBuilder::build_and_execute(|| {
		// Block b (time b × 6 s): 1 grant, 2 access, 3 denied access, 4 access, 5 access,
		// 6 patient-side erase.
		Audit::append(grant(1));
		System::set_block_number(2);
		Audit::append(access(1, AuditOutcome::Success));
		System::set_block_number(3);
		Audit::append(access(1, AuditOutcome::Denied(DenialReason::ConsentRevoked)));
		System::set_block_number(4);
		Audit::append(access(2, AuditOutcome::Success));
		System::set_block_number(5);
		Audit::append(access(3, AuditOutcome::Success));
		System::set_block_number(6);
		Audit::append(ehr_primitives::AuditEvent {
			action: AuditAction::RecordErased,
			actor: AuditActor::Account(ALICE),
			organisation: None,
			..access(3, AuditOutcome::Success)
		});
		let found = |from, to, cursor, limit| {
			let page = Audit::disclosures(patient(), from * BLOCK_MS, to * BLOCK_MS, cursor, limit);
			(page.items.iter().map(|e| e.index).collect::<Vec<_>>(), page.next)
		};
		assert_eq!(found(0, 100, None, 5), (vec![1, 3, 4], None));
		assert_eq!(found(3, 4, None, 5), (vec![3], None));
		assert_eq!(found(5, 6, None, 5), (vec![4], None));
		assert_eq!(found(7, 9, None, 5), (vec![], None));
		assert_eq!(found(4, 2, None, 5), (vec![], None));
		// Paging with the cursor.
		assert_eq!(found(0, 100, None, 2), (vec![1, 3], Some(4)));
		assert_eq!(found(0, 100, Some(4), 2), (vec![4], None));
		// A patient without a trail has none.
		let other = ehr_primitives::testing::patient_id(9);
		assert!(Audit::disclosures(other, 0, u64::MAX, None, 5).items.is_empty());
	});
}

#[test]
fn a_disclosures_page_reads_a_bounded_number_of_entries() {
	ExtBuilder::build_and_execute(|| {
		// 30 grants, then one access: a page of 1 reads at most 4 entries and says where to go on.
		for i in 0..30 {
			Audit::append(grant(i));
		}
		Audit::append(access(1, AuditOutcome::Success));
		let mut cursor = None;
		let mut pages = 0;
		loop {
			let page = Audit::disclosures(patient(), 0, u64::MAX, cursor, 1);
			pages += 1;
			if let Some(entry) = page.items.first() {
				assert_eq!(entry.index, 30);
			}
			match page.next {
				Some(next) => cursor = Some(next),
				None => break,
			}
		}
		assert_eq!(pages, 8);
	});
}
