//! Storage migrations of the consent pallet, by the storage version they lead to.
//!
//! Migrations are multi-block ([`SteppedMigration`]s run by `pallet-migrations`): each block does
//! a bounded amount of work, so a parachain can always build its next block, however much state
//! there is. While one runs, `frame-executive` admits no transactions into blocks.

/// Version 2: [`ConsentsByGrantee`](crate::ConsentsByGrantee) lists each grant's
/// [`GrantTerms`](crate::GrantTerms) (scope, period, revocation, granting block) instead of its
/// bare id, so the consent check reads the index and no grant record.
pub mod v2 {
	use crate::{
		pallet::{Config, Consents, ConsentsByGrantee, GrantTermsOf, GranteeOf, Pallet},
		weights::WeightInfo,
	};
	use alloc::vec::Vec;
	use ehr_primitives::{ConsentId, PatientId};
	use polkadot_sdk::{
		frame_support::{
			migrations::{MigrationId, SteppedMigration, SteppedMigrationError},
			pallet_prelude::*,
			storage_alias,
			traits::UncheckedOnRuntimeUpgrade,
			weights::WeightMeter,
		},
		frame_system,
		sp_runtime::Saturating,
	};

	/// The index's value before version 2.
	pub type OldIndex<T> = BoundedVec<ConsentId, <T as Config>::MaxGrantsPerGrantee>;

	/// Storage as version 1 had it.
	pub mod v1 {
		// `storage_alias` generates an undocumented prefix type.
		#![allow(missing_docs)]
		use super::*;

		/// The index as version 1 stored it: same pallet, name and keys, bare ids as values.
		#[storage_alias]
		pub type ConsentsByGrantee<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			PatientId,
			Blake2_128Concat,
			GranteeOf<T>,
			OldIndex<T>,
			OptionQuery,
		>;
	}
	pub use v1::ConsentsByGrantee as OldConsentsByGrantee;

	/// The new value of one index entry: the terms of the grants it lists. An id whose grant is
	/// gone is dropped, and an entry left empty becomes `None` (removed). The version 1
	/// invariants rule both out; the migration does not rely on them.
	fn migrate_entry<T: Config>(
		ids: OldIndex<T>,
	) -> Option<BoundedVec<GrantTermsOf<T>, T::MaxGrantsPerGrantee>> {
		let terms: Vec<GrantTermsOf<T>> = ids
			.into_iter()
			.filter_map(|id| Consents::<T>::get(id).map(|consent| consent.terms(id)))
			.collect();
		// The same bound as before, so this cannot fail.
		BoundedVec::try_from(terms).ok().filter(|terms| !terms.is_empty())
	}

	/// The migration from version 1 to 2 over many blocks: each step rewrites one index entry
	/// (one read of the entry, one of each grant it lists, at most
	/// [`Config::MaxGrantsPerGrantee`], and one write), as many steps per block as the weight
	/// `pallet-migrations` gives it allows. The cursor is the last entry rewritten. It does
	/// nothing unless the on-chain storage version is 1, and sets it to 2 when done.
	pub struct LazyMigrationV1ToV2<T>(PhantomData<T>);

	impl<T: Config> SteppedMigration for LazyMigrationV1ToV2<T> {
		type Cursor = (PatientId, GranteeOf<T>);
		type Identifier = MigrationId<18>;

		fn id() -> Self::Identifier {
			MigrationId { pallet_id: *b"pallet-ehr-consent", version_from: 1, version_to: 2 }
		}

		fn step(
			mut cursor: Option<Self::Cursor>,
			meter: &mut WeightMeter,
		) -> Result<Option<Self::Cursor>, SteppedMigrationError> {
			if Pallet::<T>::on_chain_storage_version() != StorageVersion::new(1) {
				return Ok(None);
			}
			let required = T::WeightInfo::migrate_v2_step();
			let mut progressed = false;
			loop {
				if meter.try_consume(required).is_err() {
					if progressed {
						break;
					}
					// Not even one entry fits: `pallet-migrations` retries in the next block, or
					// fails the migration if a whole block's migration weight is too little.
					return Err(SteppedMigrationError::InsufficientWeight { required });
				}
				progressed = true;
				let mut iter = match &cursor {
					Some((patient, grantee)) => OldConsentsByGrantee::<T>::iter_from(
						OldConsentsByGrantee::<T>::hashed_key_for(patient, grantee),
					),
					None => OldConsentsByGrantee::<T>::iter(),
				};
				match iter.next() {
					Some((patient, grantee, ids)) => {
						match migrate_entry::<T>(ids) {
							Some(terms) => ConsentsByGrantee::<T>::insert(patient, &grantee, terms),
							None => ConsentsByGrantee::<T>::remove(patient, &grantee),
						}
						cursor = Some((patient, grantee));
					},
					None => {
						StorageVersion::new(2).put::<Pallet<T>>();
						return Ok(None);
					},
				}
			}
			Ok(cursor)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let grants: u32 =
				OldConsentsByGrantee::<T>::iter_values().map(|ids| ids.len() as u32).sum();
			Ok(grants.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: Vec<u8>) -> Result<(), polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = u32::decode(&mut &state[..]).map_err(|_| "bad pre_upgrade state")?;
			let after: u32 = ConsentsByGrantee::<T>::iter_values().map(|t| t.len() as u32).sum();
			ensure!(after <= before, "the migration added grants to the index");
			Pallet::<T>::do_try_state()
		}
	}

	/// The same migration in one step, for comparison in tests only: it rewrites the whole index
	/// in one block, which a chain with many grants cannot afford (security review, finding 2).
	/// The runtime uses [`LazyMigrationV1ToV2`].
	pub struct InnerMigrateV1ToV2<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			ConsentsByGrantee::<T>::translate::<OldIndex<T>, _>(|_patient, _grantee, ids| {
				reads.saturating_accrue(1u64.saturating_add(ids.len() as u64));
				writes.saturating_inc();
				migrate_entry::<T>(ids)
			});
			<T as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
		}
	}
}
