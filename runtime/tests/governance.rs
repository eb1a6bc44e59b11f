//! Consortium governance in the real runtime, through signed extrinsics in built blocks: council
//! motions that add and remove collators (with the session delay), change the membership (the
//! council follows), accredit organisations, and upgrade the runtime through a 3/4 root dispatch;
//! and the paths to root below 3/4 that the security review found (finding 5), closed.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;

use codec::{Decode, Encode};
use common::{account, ext_from_preset, signed, BlockBuilder, ExecuteChecked};
use ehr_runtime::{
	configs::governance::{MOTION_DURATION, SESSION_PERIOD},
	Runtime, RuntimeCall, RuntimeEvent, SessionKeys, System,
};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo,
	frame_system, pallet_collator_selection, pallet_collective, pallet_membership, pallet_session,
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_core::{crypto::Pair as _, proof_of_possession::ProofOfPossessionGenerator, sr25519},
	sp_genesis_builder::DEV_RUNTIME_PRESET,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave, Eve},
	sp_runtime::{traits::Hash, DispatchError},
};

type CouncilEvent = pallet_collective::Event<Runtime, pallet_collective::Instance1>;

/// The on-chain nonce of `who`, for a block with one transaction from it.
fn nonce(who: Sr25519Keyring) -> u32 {
	System::account_nonce(account(who))
}

/// A council motion, one step per block as members would do it: the first of `ayes` proposes
/// `call` with `threshold`; then `ayes` vote aye and `nays` vote nay; then the proposer closes.
/// With threshold 1 the proposal executes at once. Returns the council's events of the motion.
fn motion(
	builder: &mut BlockBuilder,
	call: RuntimeCall,
	threshold: u32,
	ayes: &[Sr25519Keyring],
	nays: &[Sr25519Keyring],
) -> Vec<CouncilEvent> {
	let proposer = ayes[0];
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	let length_bound = call.encoded_size() as u32;
	let weight_bound = call.get_dispatch_info().call_weight;
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	let mut events = Vec::new();
	let collect = |events: &mut Vec<CouncilEvent>| {
		events.extend(System::events().into_iter().filter_map(|r| match r.event {
			RuntimeEvent::Council(e) => Some(e),
			_ => None,
		}))
	};

	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		proposal: Box::new(call),
		length_bound,
	});
	let (_, results) = builder.build(vec![signed(propose, proposer, nonce(proposer))]);
	assert_eq!(results, vec![Ok(Ok(()))], "propose");
	collect(&mut events);
	if threshold <= 1 {
		return events;
	}
	let votes = ayes
		.iter()
		.map(|m| (m, true))
		.chain(nays.iter().map(|m| (m, false)))
		.map(|(member, approve)| {
			signed(
				RuntimeCall::Council(pallet_collective::Call::vote {
					proposal: hash,
					index,
					approve,
				}),
				*member,
				nonce(*member),
			)
		})
		.collect();
	let (_, results) = builder.build(votes);
	assert!(results.iter().all(|r| matches!(r, Ok(Ok(())))), "votes: {results:?}");
	collect(&mut events);
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: hash,
		index,
		proposal_weight_bound: weight_bound,
		length_bound,
	});
	let (_, results) = builder.build(vec![signed(close, proposer, nonce(proposer))]);
	assert_eq!(results, vec![Ok(Ok(()))], "close");
	collect(&mut events);
	events
}

/// The result of the motion's call, if it was executed.
fn executed(events: &[CouncilEvent]) -> Option<Result<(), DispatchError>> {
	events.iter().find_map(|e| match e {
		CouncilEvent::Executed { result, .. } => Some(*result),
		_ => None,
	})
}

fn aura_key(seed: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(seed, None).expect("a valid dev seed")
}

/// `session.setKeys` by `who` for the Aura key of `seed`, with the proof of possession that
/// `author_rotateKeysWithOwner` returns: the key's signature over the owner's account id.
fn set_keys(who: Sr25519Keyring, seed: &str) -> RuntimeCall {
	let mut pair = aura_key(seed);
	let pop = pair.generate_proof_of_possession(&account(who).encode());
	let keys = SessionKeys { aura: pair.public().into() };
	RuntimeCall::Session(pallet_session::Call::set_keys { keys, proof: (pop,).encode() })
}

fn add_collator(who: Sr25519Keyring) -> RuntimeCall {
	RuntimeCall::CollatorSelection(pallet_collator_selection::Call::add_invulnerable {
		who: account(who),
	})
}

fn authorities() -> Vec<AuraId> {
	polkadot_sdk::pallet_aura::Authorities::<Runtime>::get().into_inner()
}

fn council() -> Vec<ehr_runtime::AccountId> {
	pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get()
}

fn membership() -> Vec<ehr_runtime::AccountId> {
	pallet_membership::Members::<Runtime, pallet_membership::Instance1>::get().to_vec()
}

/// The invariant of the governance set-up: the council is exactly the membership.
fn council_follows_membership() {
	assert_eq!(council(), membership());
}

/// Builds empty blocks up to and including block `number`.
fn build_until(builder: &mut BlockBuilder, number: u32) {
	while builder.parent.number < number {
		builder.build(vec![]);
	}
}

#[test]
fn the_council_adds_a_collator_at_two_thirds_and_it_authors_after_the_session_delay_then_removes_it(
) {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let eve_aura = AuraId::from(aura_key("//Eve//aura").public());
		let invulnerables = || pallet_collator_selection::Invulnerables::<Runtime>::get().to_vec();

		// No open candidacy: registering as a candidate fails.
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::CollatorSelection(
				pallet_collator_selection::Call::register_as_candidate {},
			),
			Eve,
			0,
		)]);
		assert_eq!(
			results,
			vec![Ok(Err(pallet_collator_selection::Error::<Runtime>::TooManyCandidates.into()))]
		);

		// A collator without session keys cannot be added.
		let events = motion(&mut builder, add_collator(Eve), 2, &[Alice, Bob], &[]);
		assert_eq!(
			executed(&events),
			Some(Err(pallet_collator_selection::Error::<Runtime>::ValidatorNotRegistered.into()))
		);

		// Eve sets her keys; a proof made for another owner is refused.
		let (_, results) =
			builder.build(vec![signed(set_keys(Dave, "//Eve//aura"), Eve, nonce(Eve))]);
		assert_eq!(results, vec![Ok(Err(pallet_session::Error::<Runtime>::InvalidProof.into()))]);
		let (_, results) =
			builder.build(vec![signed(set_keys(Eve, "//Eve//aura"), Eve, nonce(Eve))]);
		assert_eq!(results, vec![Ok(Ok(()))]);

		// Below 2/3: one member's motion executes at once with `Member`, refused; one aye and
		// two nays is disapproved without executing.
		let events = motion(&mut builder, add_collator(Eve), 1, &[Alice], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		let events = motion(&mut builder, add_collator(Eve), 2, &[Alice], &[Bob, Charlie]);
		assert_eq!(executed(&events), None);
		assert!(events.iter().any(|e| matches!(e, CouncilEvent::Disapproved { .. })));
		assert!(!invulnerables().contains(&account(Eve)));

		// 2 of 3 ayes: Eve is a collator.
		let events = motion(&mut builder, add_collator(Eve), 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert!(invulnerables().contains(&account(Eve)));

		// She authors from the second session after the motion: not after the first rotation,
		// yes after the second.
		assert!(builder.parent.number < SESSION_PERIOD);
		build_until(&mut builder, SESSION_PERIOD);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 1);
		assert!(!authorities().contains(&eve_aura));
		build_until(&mut builder, 2 * SESSION_PERIOD);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), 2);
		assert_eq!(authorities().len(), 2);
		assert!(authorities().contains(&eve_aura));

		// The council removes her; she stops authoring after the same delay. The last
		// collator cannot be removed.
		let remove = |who| {
			RuntimeCall::CollatorSelection(pallet_collator_selection::Call::remove_invulnerable {
				who: account(who),
			})
		};
		let events = motion(&mut builder, remove(Eve), 2, &[Bob, Charlie], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert_eq!(invulnerables(), vec![account(Alice)]);
		let events = motion(&mut builder, remove(Alice), 2, &[Bob, Charlie], &[]);
		assert_eq!(
			executed(&events),
			Some(Err(pallet_collator_selection::Error::<Runtime>::TooFewEligibleCollators.into()))
		);
		build_until(&mut builder, 4 * SESSION_PERIOD);
		assert_eq!(authorities(), vec![AuraId::from(Alice.public())]);
		council_follows_membership();
	});
}

#[test]
fn the_council_sets_the_session_length_at_two_thirds_and_sessions_follow_it() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let set = |length| {
			RuntimeCall::EhrGovernance(pallet_ehr_governance::Call::set_session_length { length })
		};
		assert_eq!(pallet_ehr_governance::SessionLength::<Runtime>::get(), SESSION_PERIOD);

		// One member alone, or a signed account, cannot; out of range is refused even at 2/3.
		let events = motion(&mut builder, set(10), 1, &[Alice], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		let (_, results) = builder.build(vec![signed(set(10), Alice, nonce(Alice))]);
		assert_eq!(results, vec![Ok(Err(DispatchError::BadOrigin))]);
		let events = motion(&mut builder, set(9), 2, &[Alice, Bob], &[]);
		assert_eq!(
			executed(&events),
			Some(Err(pallet_ehr_governance::Error::<Runtime>::SessionLengthOutOfRange.into()))
		);
		assert_eq!(pallet_ehr_governance::SessionLength::<Runtime>::get(), SESSION_PERIOD);

		// 2 of 3: sessions of 10 blocks from the next multiple of 10 on.
		let events = motion(&mut builder, set(10), 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		let index = pallet_session::CurrentIndex::<Runtime>::get();
		let next = (builder.parent.number / 10 + 1) * 10;
		build_until(&mut builder, next);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), index + 1);
		build_until(&mut builder, next + 10);
		assert_eq!(pallet_session::CurrentIndex::<Runtime>::get(), index + 2);
	});
}

#[test]
fn membership_changes_need_three_quarters_and_the_council_follows() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
			who: account(Dave).into(),
		});
		let sorted = |mut v: Vec<_>| {
			v.sort();
			v
		};

		// One aye of three, or two: refused (membership needs the root threshold, 3/4).
		let events = motion(&mut builder, add.clone(), 1, &[Alice], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		let events = motion(&mut builder, add.clone(), 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		// Three of three: Dave is a member, and a council member.
		let events = motion(&mut builder, add, 3, &[Alice, Bob, Charlie], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		let four = sorted(vec![account(Alice), account(Bob), account(Charlie), account(Dave)]);
		assert_eq!(membership(), four);
		assert_eq!(council(), four);

		// Removing needs 3/4 of the four: two ayes (1/2) are not enough, three are.
		let remove = RuntimeCall::CouncilMembership(pallet_membership::Call::remove_member {
			who: account(Bob).into(),
		});
		let events = motion(&mut builder, remove.clone(), 2, &[Alice, Dave], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		let events = motion(&mut builder, remove, 3, &[Alice, Charlie, Dave], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		let three = sorted(vec![account(Alice), account(Charlie), account(Dave)]);
		assert_eq!(membership(), three);
		assert_eq!(council(), three);

		// Bob can no longer propose; the council cannot be set around the membership.
		let (_, results) = builder.build(vec![signed(
			RuntimeCall::Council(pallet_collective::Call::propose {
				threshold: 1,
				proposal: Box::new(RuntimeCall::System(frame_system::Call::remark {
					remark: vec![],
				})),
				length_bound: 100,
			}),
			Bob,
			nonce(Bob),
		)]);
		assert_eq!(
			results,
			vec![Ok(Err(
				pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember.into()
			))]
		);
		let events = motion(
			&mut builder,
			RuntimeCall::Council(pallet_collective::Call::set_members {
				new_members: vec![account(Alice)],
				prime: None,
				old_count: 3,
			}),
			3,
			&[Alice, Charlie, Dave],
			&[],
		);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(council(), three);
		council_follows_membership();
	});
}

#[test]
fn the_council_accredits_organisations_and_suspends_any_provider() {
	use ehr_primitives::{OrgId, ProviderRegistry};
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let register = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::register_organisation {
			admin: account(Eve),
		});
		// An organisation admin (Dave) cannot register organisations; one member cannot either.
		let (_, results) = builder.build(vec![signed(register.clone(), Dave, 0)]);
		assert_eq!(results, vec![Ok(Err(DispatchError::BadOrigin))]);
		let events = motion(&mut builder, register.clone(), 1, &[Alice], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		// 2/3 of the council can.
		let events = motion(&mut builder, register, 2, &[Alice, Charlie], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert_eq!(
			pallet_ehr_identity::Organisations::<Runtime>::get(OrgId(1)).and_then(|o| o.admin),
			Some(account(Eve))
		);
		// The council suspends Bob, a provider of organisation 0, which it does not administer.
		let suspend = RuntimeCall::EhrIdentity(pallet_ehr_identity::Call::suspend_provider {
			provider: account(Bob),
		});
		let events = motion(&mut builder, suspend, 2, &[Alice, Charlie], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		assert_eq!(ehr_runtime::EhrIdentity::active_provider(&account(Bob)), None);
		council_follows_membership();
	});
}

/// The compressed runtime WASM with its `runtime_version` custom section's spec version
/// increased by one: a runtime a consortium would upgrade to.
fn next_runtime() -> (Vec<u8>, u32) {
	use polkadot_sdk::sp_maybe_compressed_blob::{
		compress_weakly, decompress, CODE_BLOB_BOMB_LIMIT,
	};
	let blob = ehr_runtime::WASM_BINARY.expect("built with the WASM blob");
	let mut wasm = decompress(blob, CODE_BLOB_BOMB_LIMIT).expect("decompresses").into_owned();
	// Walk the module's sections to the custom section named `runtime_version`.
	let leb = |bytes: &[u8], at: &mut usize| -> usize {
		let (mut value, mut shift) = (0usize, 0);
		loop {
			let byte = bytes[*at];
			*at += 1;
			value |= usize::from(byte & 0x7f) << shift;
			if byte & 0x80 == 0 {
				return value;
			}
			shift += 7;
		}
	};
	let mut at = 8; // magic and version
	let spec_at = loop {
		assert!(at < wasm.len(), "no runtime_version section");
		let id = wasm[at];
		at += 1;
		let size = leb(&wasm, &mut at);
		let end = at + size;
		if id == 0 {
			let mut p = at;
			let name_len = leb(&wasm, &mut p);
			if &wasm[p..p + name_len] == b"runtime_version" {
				// spec_name, impl_name (SCALE strings), authoring_version, then spec_version.
				let mut data = &wasm[p + name_len..end];
				let before = data.len();
				String::decode(&mut data).expect("spec_name");
				String::decode(&mut data).expect("impl_name");
				u32::decode(&mut data).expect("authoring_version");
				break p + name_len + (before - data.len());
			}
		}
		at = end;
	};
	let old = u32::from_le_bytes(wasm[spec_at..spec_at + 4].try_into().expect("4 bytes"));
	wasm[spec_at..spec_at + 4].copy_from_slice(&(old + 1).to_le_bytes());
	(compress_weakly(&wasm, CODE_BLOB_BOMB_LIMIT).expect("compresses"), old + 1)
}

#[test]
fn a_council_supermajority_upgrades_the_runtime_without_sudo() {
	use polkadot_sdk::{
		cumulus_pallet_parachain_system, cumulus_primitives_core::relay_chain::UpgradeGoAhead,
		sp_version::RuntimeVersion,
	};
	let (code, next_spec) = next_runtime();
	assert_eq!(next_spec, ehr_runtime::VERSION.spec_version + 1);
	let code_hash = <Runtime as frame_system::Config>::Hashing::hash(&code);
	let mut ext: TestExternalities = ext_from_preset(DEV_RUNTIME_PRESET);
	common::register_wasm_executor(&mut ext);
	ext.execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let authorize = |code_hash| {
			RuntimeCall::EhrGovernance(pallet_ehr_governance::Call::dispatch_as_root {
				call: Box::new(RuntimeCall::System(frame_system::Call::authorize_upgrade {
					code_hash,
				})),
			})
		};
		// 2 of 3 is below 3/4: refused, nothing authorised.
		let events = motion(&mut builder, authorize(code_hash), 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert!(frame_system::Pallet::<Runtime>::authorized_upgrade().is_none());
		// 3 of 3: authorised.
		let events = motion(&mut builder, authorize(code_hash), 3, &[Alice, Bob, Charlie], &[]);
		assert_eq!(executed(&events), Some(Ok(())));
		System::assert_has_event(
			frame_system::Event::UpgradeAuthorized { code_hash, check_version: true }.into(),
		);

		// Anyone applies the authorised code; the parachain schedules it with the relay chain.
		let apply = RuntimeCall::System(frame_system::Call::apply_authorized_upgrade {
			code: code.clone(),
		});
		let (_, results) = builder.build(vec![signed(apply, Eve, 0)]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		assert!(cumulus_pallet_parachain_system::PendingValidationCode::<Runtime>::exists());

		// The relay chain signals go-ahead: the new code is the chain's code.
		builder.upgrade_go_ahead = Some(UpgradeGoAhead::GoAhead);
		builder.build(vec![]);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::ParachainSystem(
				cumulus_pallet_parachain_system::Event::ValidationFunctionApplied { .. }
			)
		)));
		let stored = polkadot_sdk::sp_io::storage::get(b":code").expect("code is set");
		assert_eq!(stored.to_vec(), code);
		let version = polkadot_sdk::sp_io::misc::runtime_version(&stored).expect("a runtime");
		let version = RuntimeVersion::decode(&mut &version[..]).expect("decodes");
		assert_eq!(version.spec_version, next_spec);
		assert!(MOTION_DURATION > builder.parent.number, "every motion closed early");
		council_follows_membership();
	});
}

/// A root call through `EhrGovernance::dispatch_as_root`: a remark that leaves an event.
fn root_remark() -> RuntimeCall {
	RuntimeCall::EhrGovernance(pallet_ehr_governance::Call::dispatch_as_root {
		call: Box::new(RuntimeCall::System(frame_system::Call::remark_with_event {
			remark: b"root".to_vec(),
		})),
	})
}

/// Finding 5: membership changes needed only 2/3 and applied to the council at once, so 2/3
/// could reset the council to themselves and then hold 100% for a root motion.
#[test]
fn finding_05_two_thirds_cannot_reset_the_council_to_themselves_then_dispatch_as_root() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		let three = council();
		// Alice and Bob (2/3) reset the membership to themselves: refused.
		let reset = RuntimeCall::CouncilMembership(pallet_membership::Call::reset_members {
			members: vec![account(Alice), account(Bob)],
		});
		let events = motion(&mut builder, reset, 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(council(), three);
		// Nor can they remove Charlie, one by one.
		let remove = RuntimeCall::CouncilMembership(pallet_membership::Call::remove_member {
			who: account(Charlie).into(),
		});
		let events = motion(&mut builder, remove, 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(council(), three);
		// So their root motion is still 2 of 3, below 3/4.
		let events = motion(&mut builder, root_remark(), 2, &[Alice, Bob], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		council_follows_membership();
	});
}

/// Finding 5: with a prime, the prime's vote became the default of every member who did not
/// vote, so one member plus silence passed a root motion once its duration ended.
#[test]
fn finding_05_a_prime_and_silence_cannot_pass_a_root_motion() {
	ext_from_preset(DEV_RUNTIME_PRESET).execute_checked(|| {
		let mut builder = BlockBuilder::default();
		// Setting a prime is refused, whatever the majority (here unanimous).
		let set_prime = RuntimeCall::CouncilMembership(pallet_membership::Call::set_prime {
			who: account(Alice).into(),
		});
		let events = motion(&mut builder, set_prime, 3, &[Alice, Bob, Charlie], &[]);
		assert_eq!(executed(&events), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(pallet_collective::Prime::<Runtime, pallet_collective::Instance1>::get(), None);

		// Alice proposes a root motion at 3/3 and votes aye; Bob and Charlie stay silent.
		let call = root_remark();
		let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
		let length_bound = call.encoded_size() as u32;
		let weight_bound = call.get_dispatch_info().call_weight;
		let index =
			pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
		let propose = RuntimeCall::Council(pallet_collective::Call::propose {
			threshold: 3,
			proposal: Box::new(call),
			length_bound,
		});
		let (_, results) = builder.build(vec![signed(propose, Alice, nonce(Alice))]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		let vote = RuntimeCall::Council(pallet_collective::Call::vote {
			proposal: hash,
			index,
			approve: true,
		});
		let (_, results) = builder.build(vec![signed(vote, Alice, nonce(Alice))]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		// After the motion's duration anyone may close it: the silent members count as nays.
		builder.skip_to(MOTION_DURATION + 10);
		let close = RuntimeCall::Council(pallet_collective::Call::close {
			proposal_hash: hash,
			index,
			proposal_weight_bound: weight_bound,
			length_bound,
		});
		let (_, results) = builder.build(vec![signed(close, Eve, nonce(Eve))]);
		assert_eq!(results, vec![Ok(Ok(()))]);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Council(CouncilEvent::Disapproved { proposal_hash }) if proposal_hash == hash
		)));
		assert!(!System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::System(frame_system::Event::Remarked { .. })
		)));
		council_follows_membership();
	});
}
