//! Storage migrations of the consent pallet, by the storage version they lead to.

/// Version 2: [`ConsentsByGrantee`](crate::ConsentsByGrantee) lists each grant's
/// [`GrantTerms`](crate::GrantTerms) (scope, period, revocation) instead of its bare id, so the
/// consent check reads the index and no grant record.
pub mod v2 {
	use crate::pallet::{Config, Consents, ConsentsByGrantee, GrantTermsOf, Pallet};
	use alloc::vec::Vec;
	use ehr_primitives::ConsentId;
	use polkadot_sdk::{
		frame_support::{
			migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
		},
		frame_system,
		sp_runtime::Saturating,
	};

	/// The index's value before version 2.
	pub type OldIndex<T> = BoundedVec<ConsentId, <T as Config>::MaxGrantsPerGrantee>;

	/// Rewrites every index entry with the terms of the grants it lists. An id whose grant is
	/// gone is dropped, and an entry left empty is removed (the version 1 invariants rule both
	/// out; the migration does not rely on them). One read per entry and per grant, one write per
	/// entry: the number of grants is bounded by `MaxConsentsPerPatient` per patient.
	pub struct InnerMigrateV1ToV2<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (0u64, 0u64);
			ConsentsByGrantee::<T>::translate::<OldIndex<T>, _>(|_patient, _grantee, ids| {
				reads.saturating_inc();
				writes.saturating_inc();
				let terms: Vec<GrantTermsOf<T>> = ids
					.into_iter()
					.filter_map(|id| {
						reads.saturating_inc();
						Consents::<T>::get(id).map(|consent| consent.terms(id))
					})
					.collect();
				// The same bound as before, so this cannot fail; an empty entry is removed.
				BoundedVec::try_from(terms).ok().filter(|terms| !terms.is_empty())
			});
			<T as frame_system::Config>::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, polkadot_sdk::sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let grants: u32 = ConsentsByGrantee::<T>::iter_keys()
				.map(|(patient, grantee)| {
					polkadot_sdk::frame_support::storage::unhashed::get::<OldIndex<T>>(
						&ConsentsByGrantee::<T>::hashed_key_for(patient, grantee),
					)
					.map_or(0, |ids| ids.len() as u32)
				})
				.sum();
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

	/// The migration from version 1 to 2, run once: it checks the on-chain version first and
	/// sets it to 2 afterwards.
	pub type MigrateV1ToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateV1ToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
