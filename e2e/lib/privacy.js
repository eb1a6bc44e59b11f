// The patient's side of privacy (docs/privacy.md): sealing data categories with the patient's
// category key, reading them back, and showing a patient's trails of several pseudonyms together.
// `ehr_primitives::sealing` is the Rust reference; the test vector below is checked by both.
import { blake2AsU8a, mnemonicToMiniSecret, randomAsU8a } from '@polkadot/util-crypto';
import { hexToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

/** The data categories, in the order of `ehr_primitives::DataCategory::ALL`. */
export const CATEGORIES = [
  'Encounters', 'Conditions', 'Medications', 'Allergies', 'Laboratory', 'Imaging', 'Immunizations',
  'Procedures', 'ClinicalNotes', 'Genomics', 'MentalHealth', 'SubstanceUse', 'ReproductiveHealth',
];
/** Slots a key orders; a consent's sealed set always has exactly `SET_SIZE` of them. */
export const SLOTS = 32;
export const SET_SIZE = CATEGORIES.length;
const DOMAIN = stringToU8a('ehr/category-slots/v1');

/** A fresh random category key (32 bytes). Keep it with the patient's keys; share it with grantees. */
export const newCategoryKey = () => randomAsU8a(32);

/**
 * The category key of one pseudonym, derived from the patient's mnemonic, so that a lost phone
 * does not lose it: BLAKE2b-256("ehr/category-key/v1" ‖ mini secret ‖ patient id). Each pseudonym
 * gets its own key, so keys link nothing.
 */
export const categoryKeyFromMnemonic = (mnemonic, patient) =>
  blake2AsU8a(u8aConcat(stringToU8a('ehr/category-key/v1'), mnemonicToMiniSecret(mnemonic), hexToU8a(patient)), 256);

/** The key's order of the slots at `epoch`: entry n is the slot of CATEGORIES[n]; the rest are decoys. */
export function slotOrder(key, epoch) {
  const epochBytes = new Uint8Array([epoch & 0xff, (epoch >> 8) & 0xff]);
  const scored = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    scored.push([u8aToHex(blake2AsU8a(u8aConcat(DOMAIN, key, epochBytes, new Uint8Array([slot])), 256)), slot]);
  }
  scored.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return scored.map(([, slot]) => slot);
}

/** The `CategoryTag` of `category` (a name of CATEGORIES) under `key` and `epoch`. */
export function seal(key, epoch, category) {
  const position = CATEGORIES.indexOf(category);
  if (position < 0) throw new Error(`unknown category ${category}`);
  return { epoch, slot: slotOrder(key, epoch)[position] };
}

/** The category name a tag stands for under `key`, or null (another key, or a decoy). */
export function unseal(key, tag) {
  const epoch = Number(tag.epoch?.toString?.() ?? tag.epoch);
  const slot = Number(tag.slot?.toString?.() ?? tag.slot);
  const position = slotOrder(key, epoch).indexOf(slot);
  return position >= 0 && position < CATEGORIES.length ? CATEGORIES[position] : null;
}

/**
 * The `SealedCategories` of `categories` under `key` and `epoch`: their slots plus random decoys up
 * to SET_SIZE, so a grant does not show how many categories it covers.
 */
export function sealSet(key, epoch, categories, random = randomAsU8a) {
  const order = slotOrder(key, epoch);
  let slots = 0;
  for (const c of categories) {
    const position = CATEGORIES.indexOf(c);
    if (position < 0) throw new Error(`unknown category ${c}`);
    slots |= 1 << order[position];
  }
  // The decoys in a random order: each paired with a random byte, sorted by it.
  const noise = random(SLOTS - CATEGORIES.length);
  const decoys = order.slice(CATEGORIES.length)
    .map((slot, i) => [noise[i], slot])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .map(([, slot]) => slot);
  for (const slot of decoys) {
    if (popcount(slots) >= SET_SIZE) break;
    slots |= 1 << slot;
  }
  return { epoch, slots: slots >>> 0 };
}

/** The category names of a sealed set (decoys skipped). */
export function unsealSet(key, set) {
  const epoch = Number(set.epoch?.toString?.() ?? set.epoch);
  const slots = Number(set.slots?.toString?.() ?? set.slots) >>> 0;
  const order = slotOrder(key, epoch);
  return CATEGORIES.filter((_, n) => (slots >>> order[n]) & 1);
}

function popcount(x) {
  let n = 0;
  for (x >>>= 0; x; x &= x - 1) n++;
  return n;
}

/** The order `ehr_primitives::sealing` gives the key 00 01 … 1f at epoch 1 (its test vector). */
export const TEST_VECTOR = {
  key: Uint8Array.from({ length: 32 }, (_, i) => i),
  epoch: 1,
  order: [26, 2, 30, 19, 10, 5, 13, 17, 4, 11, 28, 16, 9, 22, 20, 8, 29, 18, 25, 21, 1, 31, 0, 7, 24, 6, 14, 12, 3, 15, 23, 27],
};

/** The category of the record of `patient` an audit entry concerns, unsealed with `key` (null if none or erased). */
async function categoryOf(api, patient, entry, key) {
  if (!entry.entity.isRecord) return null;
  const view = await api.call.recordsApi.record(patient, entry.entity.asRecord);
  const tag = view.isSome ? view.unwrap().category : null;
  return tag && tag.isSome ? unseal(key, tag.unwrap()) : null;
}

/**
 * A patient's audit trail in clear, as its app shows it: every retained entry of `patient` with
 * the category of the record it concerns unsealed with `key` (records still anchored; erased ones
 * have no category left on chain).
 */
export async function trailInClear(api, patient, key) {
  const entries = await api.call.auditApi.trail(patient, 0, 1000);
  const out = [];
  for (const e of entries) out.push({ patient, ...e.toJSON(), category: await categoryOf(api, patient, e, key) });
  return out;
}

/**
 * The accounting of disclosures of `patient` between the times `from` and `to` (ms), in clear:
 * every page of `AuditApi::disclosures`, each entry with its record's category unsealed.
 */
export async function disclosuresInClear(api, patient, key, from = 0, to = Number.MAX_SAFE_INTEGER) {
  const out = [];
  for (const e of await allDisclosures(api, patient, from, to)) {
    out.push({ patient, ...e.toJSON(), category: await categoryOf(api, patient, e, key) });
  }
  return out;
}

/** Every page of `AuditApi::disclosures` of `patient` between `from` and `to` (ms), oldest first. */
export async function allDisclosures(api, patient, from = 0, to = Number.MAX_SAFE_INTEGER) {
  const out = [];
  let cursor = null;
  do {
    const page = await api.call.auditApi.disclosures(patient, from, to, cursor, 100);
    out.push(...page.items);
    cursor = page.next.isSome ? page.next.unwrap().toNumber() : null;
  } while (cursor !== null);
  return out;
}

/**
 * The trails of several pseudonyms of one person, merged oldest first: what the patient's app
 * shows. The pseudonyms stay unlinked on chain; only the app, holding every key, joins them.
 */
export async function mergedTrails(api, pseudonyms) {
  const all = [];
  for (const { patient, key } of pseudonyms) all.push(...(await trailInClear(api, patient, key)));
  return all.sort((a, b) => Number(a.block) - Number(b.block) || Number(a.index) - Number(b.index));
}
