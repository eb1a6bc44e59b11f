// The client side of the EHR chain, as docs/ehr-domain.md specifies it: salted digests, the batch
// Merkle tree, and the audit trail's hash chain. The Rust test vectors check these functions.
import { blake2AsU8a, decodeAddress, sha256AsU8a } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { seal, sealSet } from './privacy.js';

/** SHA-256(salt ‖ document): what goes on chain instead of the document. */
export const saltedDigest = (salt, document) => sha256AsU8a(u8aConcat(salt, document));
// The commitment to a break-glass justification: BLAKE2b-256(salt ‖ text), as
// `ehr_primitives::hashing::justification_commitment`. Never an unsalted hash of the text.
export const justificationCommitment = (salt, text) => blake2AsU8a(u8aConcat(salt, text));
/** A `Digest` argument for a SHA-256 hash. */
export const sha256Digest = (hash) => ({ algorithm: 'Sha2_256', hash: u8aToHex(hash) });

const DIGEST_ALGORITHMS = ['Sha2_256', 'Blake2b256'];
/**
 * The record id the chain gives a digest (`pallet_ehr_records::Pallet::record_id`): the first eight
 * bytes of BLAKE2b-256("ehr/record-id/v1" ‖ SCALE(digest)), little-endian, as a decimal string (ids
 * are u64, beyond JavaScript's safe integers).
 */
export function recordIdOf(digest) {
  const algorithm = DIGEST_ALGORITHMS.indexOf(digest.algorithm);
  if (algorithm < 0) throw new Error(`unknown digest algorithm ${digest.algorithm}`);
  const hash = blake2AsU8a(u8aConcat(stringToU8a('ehr/record-id/v1'), Uint8Array.of(algorithm), hexToU8a(digest.hash)), 256);
  return new DataView(hash.buffer, hash.byteOffset, 8).getBigUint64(0, true).toString();
}

/**
 * The consent id the chain gives a grant (`pallet_ehr_consent::Pallet::consent_id`): the first
 * eight bytes of BLAKE2b-256("ehr/consent-id/v1" ‖ SCALE(patient, grantee, grantedAt, nonce)),
 * little-endian, as a decimal string. `grantee` is `{ Provider: address }` or
 * `{ Organisation: n }`; `grantedAt` the EHR clock's block (u32); the first grant to a grantee in
 * a block has nonce 0, the next one 1, and so on.
 */
export function consentIdOf(patient, grantee, grantedAt, nonce = 0) {
  const u32 = (n) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; };
  const encoded = grantee.Provider !== undefined
    ? u8aConcat(Uint8Array.of(0), decodeAddress(grantee.Provider))
    : u8aConcat(Uint8Array.of(1), u32(grantee.Organisation));
  const hash = blake2AsU8a(u8aConcat(stringToU8a('ehr/consent-id/v1'), hexToU8a(patient), encoded, u32(grantedAt), u32(nonce)), 256);
  return new DataView(hash.buffer, hash.byteOffset, 8).getBigUint64(0, true).toString();
}

/**
 * A patient's grant to a grantee as stored, or null: `ehrConsent.grants(patient, grantee)` holds
 * that grantee's grants whole (`terms`, `grantedBy`, `deposit`). `consentId` as a string.
 */
export async function storedGrant(api, patient, grantee, consentId, at) {
  const grants = at
    ? await api.query.ehrConsent.grants.at(at, patient, grantee)
    : await api.query.ehrConsent.grants(patient, grantee);
  return grants.find((g) => g.terms.id.toString() === consentId.toString()) ?? null;
}

const leaf = (hash) => blake2AsU8a(u8aConcat(new Uint8Array([0x00, 0x00 /* Sha2_256 */]), hash), 256);
const inner = (left, right) => blake2AsU8a(u8aConcat(new Uint8Array([0x01]), left, right), 256);
function levels(hashes) {
  const out = [hashes.map(leaf)];
  while (out[out.length - 1].length > 1) {
    const row = out[out.length - 1];
    const up = [];
    for (let i = 0; i < row.length; i += 2) up.push(i + 1 < row.length ? inner(row[i], row[i + 1]) : row[i]);
    out.push(up);
  }
  return out;
}
/** The batch root of SHA-256 document hashes. */
export const merkleRoot = (hashes) => levels(hashes).at(-1)[0];
/** The proof of `hashes[index]`: its siblings, leaf level first; promoted levels add nothing. */
export function merkleProof(hashes, index) {
  const proof = [];
  for (const row of levels(hashes).slice(0, -1)) {
    if ((index ^ 1) < row.length) proof.push(row[index ^ 1]);
    index >>= 1;
  }
  return proof;
}

/** The audit trail's genesis head of `patient` (hex id). */
export const genesisHead = (patient) => blake2AsU8a(u8aConcat(stringToU8a('ehr/audit/v1'), hexToU8a(patient)), 256);
/** Folds SCALE-encoded entries onto `start`: head = BLAKE2b-256(head ‖ entry). */
export function foldTrail(start, entries) {
  let head = start;
  for (const bytes of entries) head = blake2AsU8a(u8aConcat(head, bytes), 256);
  return head;
}

// Data categories are sealed with the patient's category key (lib/privacy.js, docs/privacy.md).
// The tests seal every patient's categories with one fixed key; a patient's app draws one per
// pseudonym.
export const TEST_KEY = Uint8Array.from({ length: 32 }, () => 42);
/** The tag of `category` under the tests' key, epoch 0. */
export const tagOf = (category) => seal(TEST_KEY, 0, category);
/** The laboratory tag under the tests' key. */
export const LAB = tagOf('Laboratory');
/** A consent's sealed categories under the tests' key (padded with decoys). */
export const sealedOf = (...categories) => sealSet(TEST_KEY, 0, categories);

// Bit sets of the primitives, as the metadata documents them.
export const ACTION = { Read: 1 << 0, Write: 1 << 1 };
export const PURPOSE = {
  Treatment: 1 << 0, EmergencyTreatment: 1 << 1, Payment: 1 << 2, Operations: 1 << 3, Research: 1 << 4,
  PublicHealth: 1 << 5, PatientRequest: 1 << 6,
};
// Provider roles a grant admits (`ProviderRoles`): one bit per `ProviderRole`, in its order.
export const ROLE = {
  Physician: 1 << 0, Nurse: 1 << 1, Pharmacist: 1 << 2, Laboratory: 1 << 3, Researcher: 1 << 4,
  Administrator: 1 << 5, OrganisationSystem: 1 << 6, ClaimsReviewer: 1 << 7, Device: 1 << 8,
};
export const ROLES = { CLINICAL: 0b1111, ALL: 0x1ff };

/**
 * The EHR pallets' clock at block `hash` (the best block if none): the relay chain's block
 * number, in which grant periods, guardian terms, emergency windows and the audit retention are
 * counted. Not the parachain's block number.
 */
export async function ehrClock(api, hash) {
  const at = hash ? await api.at(hash) : api;
  return (await at.query.parachainSystem.lastRelayChainBlockNumber()).toNumber();
}
