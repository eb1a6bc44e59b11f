//! The consent check: "may account A perform action X on (sealed) category C of patient P for
//! purpose U at block N?". C is a slot under the patient's category key; the check compares slots
//! and never learns the category.
//!
//! It reads the patient's status, the account's accreditation, its emergency window (purpose
//! `ETREAT` only) and the patient's grants to that provider and to its organisation (two items
//! of [`Grants`]); nothing else. Its cost is independent of how many grants the patient gave
//! anyone else.

use crate::{pallet::*, types::Ineffective};
use ehr_primitives::{
	AccessBasis, AccessDecision, AccessRequest, ConsentCheck, DenialReason, Grantee,
	PatientRegistry, PatientStatus, ProviderRegistry, PurposeOfUse,
};
use polkadot_sdk::frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The consent check at the current block.
	pub fn check_access(
		who: &T::AccountId,
		request: &AccessRequest,
	) -> AccessDecision<BlockNumberFor<T>> {
		Self::check_access_at(who, request, Self::now())
	}

	/// The consent check at block `at`, from the grants and windows still stored.
	///
	/// The patient's status and the provider's accreditation are taken as they are now, except
	/// that a patient closed after `at` is judged on its grants. Grants made after `at` are not
	/// seen: a grant permits nothing before the block it was granted in, even with an earlier
	/// `valid_from`.
	pub fn check_access_at(
		who: &T::AccountId,
		request: &AccessRequest,
		at: BlockNumberFor<T>,
	) -> AccessDecision<BlockNumberFor<T>> {
		match Self::decide(who, request, at) {
			Ok(basis) => AccessDecision::Permitted(basis),
			Err(reason) => AccessDecision::Denied(reason),
		}
	}

	fn decide(
		who: &T::AccountId,
		request: &AccessRequest,
		at: BlockNumberFor<T>,
	) -> Result<AccessBasis<BlockNumberFor<T>>, DenialReason> {
		let patient = request.patient;
		match T::Patients::status(&patient) {
			None => return Err(DenialReason::UnknownPatient),
			Some(PatientStatus::Closed { at: closed }) if at >= closed => {
				return Err(DenialReason::PatientClosed)
			},
			Some(_) => {},
		}
		let accreditation = T::Providers::accreditation(who)
			.filter(|a| a.active)
			.ok_or(DenialReason::NotAccredited)?;
		let provider = accreditation.info;

		if request.purpose == PurposeOfUse::EmergencyTreatment {
			if let Some(window) = EmergencyAccess::<T>::get(patient, who) {
				if window.open_at(at) {
					return Ok(AccessBasis::Emergency { opened_at: window.opened_at });
				}
			}
		}

		// The most telling reason among grants that cover the request but are not in force.
		let mut best: Option<Ineffective> = None;
		let mut any_grant = false;
		for grantee in
			[Grantee::Provider(who.clone()), Grantee::Organisation(provider.organisation)]
		{
			for grant in Grants::<T>::get(patient, &grantee) {
				let terms = grant.terms;
				// A grant made after `at` did not exist at `at` (finding 3): a past `valid_from`
				// does not make it permit earlier blocks.
				if !terms.existed_at(at) {
					continue;
				}
				any_grant = true;
				// The grant names the roles it admits (finding 16).
				let covers = terms.categories.contains(request.category)
					&& terms.actions.contains(request.action)
					&& terms.purposes.contains(request.purpose)
					&& terms.roles.contains(provider.role);
				if !covers {
					continue;
				}
				// A grant to this provider ended when it left the organisation it was
				// accredited in then: it holds a later accreditation now (finding 16).
				let left = matches!(grantee, Grantee::Provider(_))
					&& accreditation.since > terms.granted_at;
				let effective =
					if left { Err(Ineffective::GranteeLeft) } else { terms.effective_at(at) };
				match effective {
					Ok(()) => return Ok(AccessBasis::Grant(terms.id)),
					Err(why) => best = Some(best.map_or(why, |b| b.max_by_rank(why))),
				}
			}
		}
		Err(match best {
			Some(Ineffective::Revoked) => DenialReason::ConsentRevoked,
			Some(Ineffective::GranteeLeft) => DenialReason::GranteeLeftOrganisation,
			Some(Ineffective::Expired) => DenialReason::ConsentExpired,
			Some(Ineffective::NotYetValid) => DenialReason::ConsentNotYetValid,
			None if any_grant => DenialReason::OutOfScope,
			None => DenialReason::NoConsent,
		})
	}
}

impl Ineffective {
	/// Of two reasons, the one to report: revoked, then the provider gone, then expired, then
	/// not yet valid.
	fn max_by_rank(self, other: Self) -> Self {
		let rank = |i: Self| match i {
			Ineffective::Revoked => 3,
			Ineffective::GranteeLeft => 2,
			Ineffective::Expired => 1,
			Ineffective::NotYetValid => 0,
		};
		if rank(other) > rank(self) {
			other
		} else {
			self
		}
	}
}

impl<T: Config> ConsentCheck<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn check_at(
		who: &T::AccountId,
		request: &AccessRequest,
		at: BlockNumberFor<T>,
	) -> AccessDecision<BlockNumberFor<T>> {
		Self::check_access_at(who, request, at)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn permit_for_benchmark(
		controller: &T::AccountId,
		provider: &T::AccountId,
		request: &AccessRequest,
		other_grants: u32,
	) {
		use crate::Scope;
		use ehr_primitives::{Actions, CategoryTag, ProviderRoles, Purposes, SealedCategories};
		use polkadot_sdk::{
			frame_benchmarking::account,
			frame_support::traits::{Consideration, Get},
			sp_runtime::traits::Zero,
		};
		let patient = request.patient;
		let tag = request.category;
		// A valid sealed set (as many slots as the chain accepts) with or without the tag's slot.
		let sealed = |with_tag: bool| {
			let mut slots = if with_tag { tag.bit() } else { 0 };
			for slot in 0..CategoryTag::SLOTS {
				if slots.count_ones() >= SealedCategories::SIZE {
					break;
				}
				if slot != tag.slot {
					slots |= CategoryTag { epoch: tag.epoch, slot }.bit();
				}
			}
			SealedCategories { epoch: tag.epoch, slots }
		};
		let everything = Scope {
			categories: sealed(true),
			actions: Actions::ALL,
			purposes: Purposes::ALL,
			roles: ProviderRoles::ALL,
		};
		let miss = Scope { categories: sealed(false), ..everything };
		let hit = everything;
		let grant = |grantee: Grantee<T::AccountId>, scope: Scope| {
			T::ConsentDeposit::ensure_successful(controller, Self::consent_footprint());
			let _ = Self::do_grant(controller.clone(), patient, grantee, scope, Zero::zero(), None);
		};
		// For `ETREAT`, the provider's emergency window is read first: one that has ended.
		if request.purpose == PurposeOfUse::EmergencyTreatment {
			T::EmergencyDeposit::ensure_successful(provider, Self::emergency_footprint());
			let _ = Self::do_open_emergency(provider.clone(), patient, [1; 32]);
			let _ = Self::do_close_emergency(None, patient, provider.clone());
			// Benchmarks of many patients open one window each: the rate limit is not what they
			// measure.
			EmergencyRates::<T>::remove(provider);
		}
		// Then both lists, full: the grants to the provider all miss the category, and so do
		// those to its organisation but the last, which permits.
		let per = T::MaxGrantsPerGrantee::get();
		for _ in 0..per {
			grant(Grantee::Provider(provider.clone()), miss);
		}
		let organisation = T::Providers::active_provider(provider).map(|p| p.organisation);
		if let Some(organisation) = organisation {
			for _ in 1..per {
				grant(Grantee::Organisation(organisation), miss);
			}
			grant(Grantee::Organisation(organisation), hit);
		}
		for i in 0..other_grants {
			let other: T::AccountId =
				account("other-grantee", i.checked_div(per).unwrap_or_default(), 0);
			if i.checked_rem(per).unwrap_or_default() == 0 {
				T::Providers::accredit_for_benchmark(&other);
			}
			grant(Grantee::Provider(other), everything);
		}
		// The setup did what it says: the answer is the organisation's last grant, reached
		// after every other one of both lists.
		let last = organisation
			.and_then(|org| Grants::<T>::get(patient, Grantee::Organisation(org)).last().cloned());
		assert_eq!(
			Self::check_access(provider, request),
			AccessDecision::Permitted(AccessBasis::Grant(
				last.map(|g| g.id()).unwrap_or(ehr_primitives::ConsentId(0))
			)),
			"permit_for_benchmark did not reach the check's worst case"
		);
	}
}
