//! Shared types: identifiers, scopes of a consent (categories, actions, purposes) and digests.
//!
//! All of them are fixed-size, so storage and events built from them are bounded and hold no
//! free text.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A patient's pseudonymous identifier: 32 opaque bytes.
///
/// The identity pallet generates it on chain from a counter, the registering account and the
/// parent block hash. It is never derived from personal data (a medical record number, a name, a
/// birth date), as HIPAA 164.514(c) forbids re-identification codes derived from PHI.
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
	PartialOrd,
	Ord,
	Debug,
	Serialize,
	Deserialize,
)]
pub struct PatientId(pub [u8; 32]);

/// A member organisation of the consortium (hospital, clinic, laboratory, insurer).
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
	PartialOrd,
	Ord,
	Debug,
	Serialize,
	Deserialize,
)]
pub struct OrgId(pub u32);

/// A consent grant's identifier, derived by the consent pallet from the patient, the grantee, the
/// granting block and a nonce (`pallet_ehr_consent::Pallet::consent_id`): unique among the
/// patient's grants to that grantee.
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
	PartialOrd,
	Ord,
	Debug,
	Serialize,
	Deserialize,
)]
pub struct ConsentId(pub u64);

/// An anchored record's identifier within its patient: derived from the record's digest by the
/// records pallet (`pallet_ehr_records::Pallet::record_id`). Calls and queries name a record by
/// its patient and this id. 64 bits: JavaScript clients keep it as a string or `BigInt`.
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
	PartialOrd,
	Ord,
	Debug,
	Serialize,
	Deserialize,
)]
pub struct RecordId(pub u64);

/// Who a consent is given to: one provider account, or every provider of an organisation.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub enum Grantee<AccountId> {
	/// One accredited provider account.
	Provider(AccountId),
	/// Every accredited, active provider of the organisation.
	Organisation(OrgId),
}

/// Defines a field-less enum whose variants are single bits, and a set of them stored as the
/// bits of one integer. A set decodes from any integer; [`is_valid`](DataCategories::is_valid)
/// tells whether it has unknown bits, so that pallets can reject it with a named error.
macro_rules! bit_set {
	(
		$(#[$item_meta:meta])* $item:ident,
		$(#[$set_meta:meta])* $set:ident($repr:ty),
		{ $( $(#[$var_meta:meta])* $variant:ident = $bit:expr ),+ $(,)? }
	) => {
		$(#[$item_meta])*
		#[derive(
			Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
			Clone, Copy, PartialEq, Eq, Debug,
		)]
		pub enum $item {
			$( $(#[$var_meta])* $variant, )+
		}

		impl $item {
			/// Every variant, in bit order.
			pub const ALL: &'static [$item] = &[ $( $item::$variant, )+ ];

			/// The variant's bit in a set.
			pub const fn bit(self) -> $repr {
				match self {
					$( $item::$variant => 1 << $bit, )+
				}
			}
		}

		$(#[$set_meta])*
		#[derive(
			Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
			Clone, Copy, PartialEq, Eq, Debug, Default,
		)]
		pub struct $set(pub $repr);

		impl $set {
			/// The empty set.
			pub const EMPTY: Self = Self(0);
			/// The set of every known variant.
			pub const ALL: Self = Self(0 $( | (1 << $bit) )+);

			/// A set of the given variants.
			pub fn of(items: &[$item]) -> Self {
				Self(items.iter().fold(0, |bits, item| bits | item.bit()))
			}

			/// Whether the set contains `item`.
			pub const fn contains(self, item: $item) -> bool {
				self.0 & item.bit() != 0
			}

			/// Whether the set is empty.
			pub const fn is_empty(self) -> bool {
				self.0 == 0
			}

			/// Whether every bit set is a known variant.
			pub const fn is_valid(self) -> bool {
				self.0 & !Self::ALL.0 == 0
			}

			/// Whether the set is non-empty and has no unknown bits: what a consent may hold.
			pub const fn is_valid_non_empty(self) -> bool {
				!self.is_empty() && self.is_valid()
			}
		}

		impl From<$item> for $set {
			fn from(item: $item) -> Self {
				Self(item.bit())
			}
		}
	};
}

bit_set!(
	/// A category of health data, roughly the FHIR / US Core categories.
	DataCategory,
	/// A set of [`DataCategory`], one bit each.
	DataCategories(u16),
	{
		/// Encounters and visits.
		Encounters = 0,
		/// Conditions and problems.
		Conditions = 1,
		/// Medications: prescriptions, dispensing, administration.
		Medications = 2,
		/// Allergies and intolerances.
		Allergies = 3,
		/// Laboratory results.
		Laboratory = 4,
		/// Imaging studies and reports.
		Imaging = 5,
		/// Immunizations.
		Immunizations = 6,
		/// Procedures.
		Procedures = 7,
		/// Clinical notes.
		ClinicalNotes = 8,
		/// Genomic data.
		Genomics = 9,
		/// Mental health.
		MentalHealth = 10,
		/// Substance use (sensitive: 42 CFR Part 2).
		SubstanceUse = 11,
		/// Reproductive health (sensitive).
		ReproductiveHealth = 12,
	}
);

impl DataCategories {
	/// The sensitive categories, which a consent must name explicitly.
	pub const SENSITIVE: Self = Self(
		(1 << 10) | (1 << 11) | (1 << 12), // mental health, substance use, reproductive health
	);
}

impl DataCategory {
	/// Whether the category is sensitive (mental health, substance use, reproductive health).
	pub const fn is_sensitive(self) -> bool {
		DataCategories::SENSITIVE.contains(self)
	}
}

bit_set!(
	/// What a grantee may do with the data.
	Action,
	/// A set of [`Action`].
	Actions(u8),
	{
		/// Read (FHIR `access`).
		Read = 0,
		/// Write: anchor new records and amendments (FHIR `correct`).
		Write = 1,
	}
);

bit_set!(
	/// Why data is accessed, from HL7 v3 `PurposeOfUse`.
	PurposeOfUse,
	/// A set of [`PurposeOfUse`].
	Purposes(u8),
	{
		/// `TREAT`: treatment.
		Treatment = 0,
		/// `ETREAT`: emergency treatment (break-glass).
		EmergencyTreatment = 1,
		/// `HPAYMT`: healthcare payment.
		Payment = 2,
		/// `HOPERAT`: healthcare operations.
		Operations = 3,
		/// `HRESCH`: healthcare research.
		Research = 4,
		/// `PUBHLTH`: public health.
		PublicHealth = 5,
		/// `PATRQT`: at the patient's request.
		PatientRequest = 6,
	}
);

bit_set!(
	/// The role a provider is accredited with inside its organisation (FHIR
	/// `Consent.provision.actor.role`). A grant names the roles it admits, and the consent check
	/// permits only a provider whose role is among them.
	#[derive(Serialize, Deserialize)]
	ProviderRole,
	/// A set of [`ProviderRole`]: the roles a grant admits.
	ProviderRoles(u16),
	{
		/// A physician.
		Physician = 0,
		/// A nurse.
		Nurse = 1,
		/// A pharmacist.
		Pharmacist = 2,
		/// A laboratory.
		Laboratory = 3,
		/// A researcher.
		Researcher = 4,
		/// An administrator: registration, scheduling, records management.
		Administrator = 5,
		/// A system account of the organisation (a document store, an EHR system).
		OrganisationSystem = 6,
		/// A payer's claims reviewer, who reads what a claim needs (purpose `HPAYMT`).
		ClaimsReviewer = 7,
		/// A device: a monitor, a pump, an imaging modality that writes observations.
		Device = 8,
	}
);

impl ProviderRoles {
	/// The clinical staff: physicians, nurses, pharmacists and laboratories.
	pub const CLINICAL: Self = Self((1 << 0) | (1 << 1) | (1 << 2) | (1 << 3));
}

/// A record's data category, sealed with the patient's category key: which of the key's
/// [`CategoryTag::SLOTS`] slots the category occupies under the key's `epoch`.
///
/// The patient's app draws a secret 32-byte *category key* and shares it, off chain, with the
/// parties it consents to. The key orders the slots pseudo-randomly ([`crate::sealing`]); the
/// *n*-th [`DataCategory`] takes the *n*-th slot of that order. Without the key a slot says
/// nothing about the category; with it, the patient and its grantees read it back. The chain
/// compares slots and never learns a category. Tags of one patient and epoch are equal exactly
/// when the categories are: a reader can tell that two records share a category, not which.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub struct CategoryTag {
	/// The key generation (rotation) the slot is drawn under.
	pub epoch: u16,
	/// The slot, below [`CategoryTag::SLOTS`].
	pub slot: u8,
}

impl CategoryTag {
	/// How many slots a key orders: room for every [`DataCategory`] and decoys.
	pub const SLOTS: u8 = 32;

	/// Whether the slot is in range.
	pub const fn is_valid(self) -> bool {
		self.slot < Self::SLOTS
	}

	/// The slot's bit in a [`SealedCategories`].
	pub const fn bit(self) -> u32 {
		if self.is_valid() {
			match 1u32.checked_shl(self.slot as u32) {
				Some(bit) => bit,
				None => 0,
			}
		} else {
			0
		}
	}
}

/// The sealed categories a consent covers: a set of slots under one key epoch. The patient's app
/// sets the slots of the granted categories and, to hide how many there are, decoy slots that no
/// category occupies ([`crate::sealing::seal_set`] pads every set to
/// [`SealedCategories::SIZE`] slots, and the chain accepts no other size).
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
	Default,
)]
pub struct SealedCategories {
	/// The key epoch of every slot in the set.
	pub epoch: u16,
	/// The slots, one bit each.
	pub slots: u32,
}

impl SealedCategories {
	/// Whether `tag` is in the set: same epoch, its slot set.
	pub const fn contains(self, tag: CategoryTag) -> bool {
		self.epoch == tag.epoch && self.slots & tag.bit() != 0
	}

	/// How many slots every consent's set has: as many as there are categories, so that the
	/// set says nothing about how many categories it covers (decoys fill it up).
	pub const SIZE: u32 = DataCategory::ALL.len() as u32;

	/// Whether the set has exactly [`Self::SIZE`] slots: what a consent may hold.
	pub const fn is_valid(self) -> bool {
		self.slots.count_ones() == Self::SIZE
	}
}

/// The hash function behind a [`Digest`].
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
pub enum DigestAlgorithm {
	/// SHA2-256.
	Sha2_256,
	/// BLAKE2b with a 256-bit output.
	Blake2b256,
}

/// A document digest: the algorithm and its 32-byte output.
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
pub struct Digest {
	/// The hash function used.
	pub algorithm: DigestAlgorithm,
	/// The 32-byte output.
	pub hash: [u8; 32],
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn bits_are_distinct_and_all_is_their_union() {
		let union = DataCategory::ALL.iter().fold(0u16, |acc, c| {
			assert_eq!(acc & c.bit(), 0, "{c:?} reuses a bit");
			acc | c.bit()
		});
		assert_eq!(DataCategories::ALL.0, union);
		assert_eq!(DataCategory::ALL.len(), 13);
		assert_eq!(PurposeOfUse::ALL.len(), 7);
		assert_eq!(Purposes::ALL.0, 0b111_1111);
		assert_eq!(Actions::ALL.0, 0b11);
		assert_eq!(ProviderRole::ALL.len(), 9);
		assert_eq!(ProviderRoles::ALL.0, 0b1_1111_1111);
		assert_eq!(
			ProviderRoles::CLINICAL,
			ProviderRoles::of(&[
				ProviderRole::Physician,
				ProviderRole::Nurse,
				ProviderRole::Pharmacist,
				ProviderRole::Laboratory
			])
		);
	}

	#[test]
	fn set_membership_and_validity() {
		let set = DataCategories::of(&[DataCategory::Laboratory, DataCategory::Imaging]);
		assert!(set.contains(DataCategory::Laboratory));
		assert!(set.contains(DataCategory::Imaging));
		assert!(!set.contains(DataCategory::Genomics));
		assert!(set.is_valid_non_empty());
		assert!(!DataCategories::EMPTY.is_valid_non_empty());
		assert!(!DataCategories(1 << 13).is_valid());
		assert!(!Purposes(0x80).is_valid());
		assert!(!Actions(0b100).is_valid());
		assert_eq!(Actions::from(Action::Write), Actions(0b10));
	}

	#[test]
	fn sensitive_categories() {
		let sensitive: Vec<_> =
			DataCategory::ALL.iter().copied().filter(|c| c.is_sensitive()).collect();
		assert_eq!(
			sensitive,
			vec![
				DataCategory::MentalHealth,
				DataCategory::SubstanceUse,
				DataCategory::ReproductiveHealth
			]
		);
	}

	#[test]
	fn encodings_are_fixed_size() {
		assert_eq!(PatientId::max_encoded_len(), 32);
		assert_eq!(DataCategories::max_encoded_len(), 2);
		assert_eq!(Digest::max_encoded_len(), 33);
		assert_eq!(PatientId([7; 32]).encode().len(), 32);
		assert_eq!(Grantee::<u64>::max_encoded_len(), 9);
		assert_eq!(CategoryTag::max_encoded_len(), 3);
		assert_eq!(SealedCategories::max_encoded_len(), 6);
	}

	#[test]
	fn sealed_sets_compare_epoch_and_slot() {
		let set = SealedCategories { epoch: 2, slots: (1 << 5) | (1 << 31) };
		assert!(set.contains(CategoryTag { epoch: 2, slot: 5 }));
		assert!(set.contains(CategoryTag { epoch: 2, slot: 31 }));
		assert!(!set.contains(CategoryTag { epoch: 2, slot: 6 }), "another slot");
		assert!(!set.contains(CategoryTag { epoch: 1, slot: 5 }), "another epoch");
		assert!(!set.contains(CategoryTag { epoch: 2, slot: 37 }), "out of range: no bit");
		assert!(!CategoryTag { epoch: 0, slot: 32 }.is_valid());
		assert!(!SealedCategories::default().is_valid());
		assert!(SealedCategories { epoch: 0, slots: 0x1fff }.is_valid());
		assert!(
			!SealedCategories { epoch: 0, slots: 0x0fff }.is_valid(),
			"12 slots: the count shows"
		);
	}
}
