//! Client-side hashing: salted document digests and the Merkle tree of batch anchoring.
//!
//! Both are specified byte for byte so that a document store in any language can compute them;
//! `scripts/ehr_vectors.py` is an independent implementation that prints the test vectors used
//! below.
//!
//! # Salted digests
//!
//! A document is anchored by its digest, never its content. An unsalted hash of a small or
//! formulaic document (a lab result, "HIV test: negative") can be found by hashing every likely
//! text, so a digest must be *salted*: [`salted_digest`] hashes 32 random bytes, generated per
//! document and kept with the document off chain, followed by the document's bytes:
//! `H(salt ‖ document)`. Without the salt the digest reveals nothing; with it, anyone holding the
//! document can prove it matches. Deleting the salt off chain makes the anchored digest useless
//! to everyone, which complements on-chain erasure.
//!
//! # Batch Merkle tree
//!
//! [`merkle_root`] builds a binary tree over the digests of a batch, in order:
//!
//! - leaf = `BLAKE2b-256(0x00 ‖ algorithm ‖ hash)`, where `algorithm` is the SCALE index of the
//!   [`DigestAlgorithm`] (`0` SHA2-256, `1` BLAKE2b-256) and `hash` the 32 bytes of the digest;
//! - inner node = `BLAKE2b-256(0x01 ‖ left ‖ right)`;
//! - a node without a right sibling (the last of a level with an odd count) moves up unchanged.
//!
//! The distinct prefixes keep a leaf from being passed off as an inner node. A proof
//! ([`merkle_proof`]) lists the siblings from the leaf up, skipping the levels where the node
//! moved up unchanged; [`verify_merkle_proof`] needs the leaf count the root was anchored with.

use crate::types::{Digest, DigestAlgorithm};
use polkadot_sdk::sp_io::hashing::{blake2_256, sha2_256};

#[cfg(not(feature = "std"))]
use alloc::vec::Vec;

/// The longest proof accepted: enough for `u32::MAX` leaves.
pub const MAX_PROOF_LEN: usize = 32;

/// The digest of a document with a salt: `H(salt ‖ document)`.
///
/// The salt must be 32 bytes from a cryptographically secure random generator, fresh for every
/// document, and stored with the document.
pub fn salted_digest(algorithm: DigestAlgorithm, salt: &[u8; 32], document: &[u8]) -> Digest {
	let mut data = Vec::with_capacity(document.len().saturating_add(32));
	data.extend_from_slice(salt);
	data.extend_from_slice(document);
	let hash = match algorithm {
		DigestAlgorithm::Sha2_256 => sha2_256(&data),
		DigestAlgorithm::Blake2b256 => blake2_256(&data),
	};
	Digest { algorithm, hash }
}

/// The commitment to a break-glass justification, as `open_emergency_access` takes it: the
/// BLAKE2b-256 salted digest of the text, `BLAKE2b-256(salt ‖ text)`, exactly as a document's.
///
/// The salt must be 32 fresh random bytes, kept with the text off chain. An unsalted hash of a
/// short clinical text ("unconscious, no ID") is found by hashing likely texts; the chain cannot
/// tell a salted commitment from an unsalted hash, so this is the client's duty.
pub fn justification_commitment(salt: &[u8; 32], text: &[u8]) -> [u8; 32] {
	salted_digest(DigestAlgorithm::Blake2b256, salt, text).hash
}

/// The Merkle leaf of a digest: `BLAKE2b-256(0x00 ‖ algorithm ‖ hash)`.
pub fn merkle_leaf(digest: &Digest) -> [u8; 32] {
	let mut data = [0u8; 34];
	let (prefix, hash) = data.split_at_mut(2);
	prefix.copy_from_slice(&[0x00, digest.algorithm as u8]);
	hash.copy_from_slice(&digest.hash);
	blake2_256(&data)
}

/// An inner Merkle node: `BLAKE2b-256(0x01 ‖ left ‖ right)`.
pub fn merkle_node(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
	let mut data = [0u8; 65];
	let (prefix, rest) = data.split_at_mut(1);
	let (l, r) = rest.split_at_mut(32);
	prefix.copy_from_slice(&[0x01]);
	l.copy_from_slice(left);
	r.copy_from_slice(right);
	blake2_256(&data)
}

/// One level up: pairs hashed, a last odd node moved up unchanged.
fn level_up(level: &[[u8; 32]]) -> Vec<[u8; 32]> {
	level
		.chunks(2)
		.map(|pair| match pair {
			[left, right] => merkle_node(left, right),
			[single] => *single,
			_ => [0u8; 32],
		})
		.collect()
}

/// The Merkle root of a batch of digests, in order; `None` for an empty batch.
pub fn merkle_root(digests: &[Digest]) -> Option<[u8; 32]> {
	let mut level: Vec<[u8; 32]> = digests.iter().map(merkle_leaf).collect();
	while level.len() > 1 {
		level = level_up(&level);
	}
	level.first().copied()
}

/// The proof for the digest at `index`: its siblings from the leaf up. `None` if `index` is out
/// of range.
pub fn merkle_proof(digests: &[Digest], index: u32) -> Option<Vec<[u8; 32]>> {
	let mut position = usize::try_from(index).ok()?;
	if position >= digests.len() {
		return None;
	}
	let mut level: Vec<[u8; 32]> = digests.iter().map(merkle_leaf).collect();
	let mut proof = Vec::new();
	while level.len() > 1 {
		if let Some(sibling) = level.get(position ^ 1) {
			proof.push(*sibling);
		}
		position /= 2;
		level = level_up(&level);
	}
	Some(proof)
}

/// Whether `proof` shows that `digest` is the leaf at `index` of a tree of `leaf_count` leaves
/// with the given root. Rejects an index out of range and a proof that is too short or too
/// long for that position.
pub fn verify_merkle_proof(
	root: &[u8; 32],
	leaf_count: u32,
	index: u32,
	digest: &Digest,
	proof: &[[u8; 32]],
) -> bool {
	if index >= leaf_count || proof.len() > MAX_PROOF_LEN {
		return false;
	}
	let mut node = merkle_leaf(digest);
	let (mut position, mut width) = (index, leaf_count);
	let mut siblings = proof.iter();
	while width > 1 {
		let promoted = position % 2 == 0 && position.saturating_add(1) == width;
		if !promoted {
			let Some(sibling) = siblings.next() else { return false };
			node = if position % 2 == 0 {
				merkle_node(&node, sibling)
			} else {
				merkle_node(sibling, &node)
			};
		}
		position /= 2;
		width = width.div_ceil(2);
	}
	siblings.next().is_none() && &node == root
}

#[cfg(test)]
mod tests {
	#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::arithmetic_side_effects)]
	use super::*;

	fn hex(s: &str) -> [u8; 32] {
		let bytes: Vec<u8> = (0..64)
			.step_by(2)
			.map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
			.collect();
		bytes.try_into().unwrap()
	}

	/// The digests of `scripts/ehr_vectors.py`: "document i" salted with 32 bytes of `i`.
	fn digests() -> Vec<Digest> {
		(0..5u8)
			.map(|i| {
				salted_digest(
					DigestAlgorithm::Sha2_256,
					&[i; 32],
					format!("document {i}").as_bytes(),
				)
			})
			.collect()
	}

	#[test]
	fn a_justification_commitment_is_salted() {
		let text = b"unconscious patient in the emergency department";
		let a = justification_commitment(&[1; 32], text);
		assert_ne!(a, justification_commitment(&[2; 32], text));
		assert_ne!(a, blake2_256(text), "not the unsalted hash a dictionary finds");
		assert_eq!(a, salted_digest(DigestAlgorithm::Blake2b256, &[1; 32], text).hash);
	}

	#[test]
	fn salted_digest_matches_the_reference_vectors() {
		let salt = [0x11; 32];
		let document = b"Discharge summary, encounter 0001";
		assert_eq!(
			salted_digest(DigestAlgorithm::Sha2_256, &salt, document).hash,
			hex("f73d0e68a1e41a85d0b8a5c7c0f3afdadfddf9c018d640caef56b2cd3c93df45")
		);
		assert_eq!(
			salted_digest(DigestAlgorithm::Blake2b256, &salt, document).hash,
			hex("e591e4e76d3565f8e2dea502a148e210776f357d25e34c5327ecc441bad113a0")
		);
		assert_eq!(
			digests()[4].hash,
			hex("f0c5d24bd23b27e681111cb94118b7ebb4062215a9e9a8d39ed40a9151f1cb33")
		);
		// Another salt, another digest: the salt is what makes small documents unguessable.
		assert_ne!(
			salted_digest(DigestAlgorithm::Sha2_256, &[0x12; 32], document),
			salted_digest(DigestAlgorithm::Sha2_256, &salt, document)
		);
	}

	#[test]
	fn merkle_roots_match_the_reference_vectors() {
		let d = digests();
		assert_eq!(merkle_root(&[]), None);
		for (n, root) in [
			(1, "82a461bb906038a971691013fa8bfdf651aba791d5954a258921834adb210324"),
			(2, "cfcf839f0493fe2ca9aee7f7f5fde4c496e07c0f0bce1bf3361c9667b4d086b7"),
			(3, "da279227e93b5eb49488e9e47ae291bac7ff76b776dc0804ea5dbb0b37b31db8"),
			(5, "fce4c3b221196ee1f7f0c6830fd0f7088122573600c5157016269cb3ae423d0c"),
		] {
			assert_eq!(merkle_root(&d[..n]), Some(hex(root)), "root of {n}");
		}
	}

	#[test]
	fn merkle_proofs_match_the_reference_vectors() {
		let d = digests();
		assert_eq!(
			merkle_proof(&d, 4).unwrap(),
			vec![hex("0d42a31458f4c837f6c383c6da62f47ef6ac2c472a8defea7218dae975dcdcca")]
		);
		assert_eq!(
			merkle_proof(&d, 1).unwrap(),
			vec![
				hex("82a461bb906038a971691013fa8bfdf651aba791d5954a258921834adb210324"),
				hex("42ab018f91dcd2a3c195c1a2a6434df44dd650c3d063071e2bbae1a8b120a497"),
				hex("526d0a5a4f7d18755023363e394bc1b68ef261291cff8b7b0291027ede06e742"),
			]
		);
		assert_eq!(
			merkle_proof(&d[..3], 2).unwrap(),
			vec![hex("cfcf839f0493fe2ca9aee7f7f5fde4c496e07c0f0bce1bf3361c9667b4d086b7")]
		);
		assert_eq!(merkle_proof(&d, 5), None);
	}

	#[test]
	fn every_proof_of_every_tree_size_verifies() {
		let d: Vec<Digest> = (0..17u8)
			.map(|i| salted_digest(DigestAlgorithm::Blake2b256, &[i; 32], b"x"))
			.collect();
		for n in 1..=d.len() {
			let root = merkle_root(&d[..n]).unwrap();
			for i in 0..n as u32 {
				let proof = merkle_proof(&d[..n], i).unwrap();
				assert!(verify_merkle_proof(&root, n as u32, i, &d[i as usize], &proof));
			}
		}
	}

	#[test]
	fn wrong_proofs_are_rejected() {
		let d = digests();
		let root = merkle_root(&d).unwrap();
		let proof = merkle_proof(&d, 1).unwrap();
		assert!(verify_merkle_proof(&root, 5, 1, &d[1], &proof));
		// Another document at that index.
		assert!(!verify_merkle_proof(&root, 5, 1, &d[2], &proof));
		// The right document at another index.
		assert!(!verify_merkle_proof(&root, 5, 0, &d[1], &proof));
		// Another leaf count, where the tree's shape differs along the path. (The root does not
		// commit to the count, which is why the chain stores the count anchored with it.)
		let last = merkle_proof(&d, 4).unwrap();
		assert!(verify_merkle_proof(&root, 5, 4, &d[4], &last));
		assert!(!verify_merkle_proof(&root, 6, 4, &d[4], &last));
		assert!(!verify_merkle_proof(&root, 5, 5, &d[1], &proof));
		// The same hash under another algorithm.
		let other = Digest { algorithm: DigestAlgorithm::Blake2b256, hash: d[1].hash };
		assert!(!verify_merkle_proof(&root, 5, 1, &other, &proof));
		// A tampered sibling, a missing one, an extra one.
		let mut tampered = proof.clone();
		tampered[1][0] ^= 1;
		assert!(!verify_merkle_proof(&root, 5, 1, &d[1], &tampered));
		assert!(!verify_merkle_proof(&root, 5, 1, &d[1], &proof[..2]));
		let mut longer = proof.clone();
		longer.push([0; 32]);
		assert!(!verify_merkle_proof(&root, 5, 1, &d[1], &longer));
		// An inner node is not a leaf: the left subtree's root does not verify as a document.
		let inner = merkle_node(&merkle_leaf(&d[0]), &merkle_leaf(&d[1]));
		let fake = Digest { algorithm: DigestAlgorithm::Sha2_256, hash: inner };
		assert!(!verify_merkle_proof(&root, 3, 0, &fake, &proof[1..]));
	}
}
