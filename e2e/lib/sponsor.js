// Sponsored calls from a patient's app: the patient's key, which may hold nothing, signs a meta
// transaction (polkadot-sdk's `pallet_meta_tx`); a sponsor submits it with
// `ehrSponsor.dispatch(metaTx, length)`, pays the fee and holds the deposits. And the agreement
// a key signs to be onboarded by an organisation. docs/ehr-domain.md shows the flow.
//
// What the key signs is BLAKE2b-256 of
//   extension version (0) ‖ call ‖ explicit extensions ‖ implicit data
// with the extensions the runtime's `MetaTxBareExtension` lists:
//   MetaTxMarker         explicit: nothing     implicit: the 8 bytes "_meta_tx"
//   CheckNonZeroSender   nothing               nothing
//   CheckSpecVersion     nothing               spec_version (u32)
//   CheckTxVersion       nothing               transaction_version (u32)
//   CheckGenesis         nothing               the genesis hash
//   CheckMortality       the era               the hash of the era's birth block (genesis if immortal)
//   CheckNonce           the key's nonce (compact)  nothing
// The meta transaction is SCALE: call ‖ 0u8 ‖ VerifySignature::Signed { signature, account } ‖
// the explicit extensions above.
import { blake2AsU8a } from '@polkadot/util-crypto';
import { compactToU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';

const META_EXTENSION_VERSION = 0;

/**
 * Builds and signs the meta transaction of `call` (an `api.tx.*` call, or its `.method`) with
 * `pair`, a keyring pair of a key that need not hold anything. `options.era`: blocks the meta
 * transaction stays valid for (mortal, from the best block), or 0 for immortal (default 64).
 * `options.nonce`: the key's nonce (default: read from the chain). `options.genesisHash`: sign for
 * another chain (tests of the refusal). Resolves with
 * `{ metaTx, length }`, what `api.tx.ehrSponsor.dispatch` takes.
 */
export async function signMetaTx(api, call, pair, options = {}) {
  const method = call.method ?? call;
  // The key's nonce on chain: a meta transaction is not in the pool under the key's account, so
  // the pool's `accountNextIndex` does not count pending ones; pass `options.nonce` to sign
  // several ahead.
  const nonce = options.nonce ?? (await api.query.system.account(pair.address)).nonce.toNumber();
  const period = options.era ?? 64;
  const genesis = options.genesisHash ?? api.genesisHash;
  let era;
  let birthHash;
  if (period === 0) {
    era = api.registry.createType('ExtrinsicEra', new Uint8Array([0]));
    birthHash = genesis;
  } else {
    const header = await api.rpc.chain.getHeader();
    era = api.registry.createType('ExtrinsicEra', { current: header.number.toNumber(), period });
    const birth = era.asMortalEra.birth(header.number.toNumber());
    birthHash = await api.rpc.chain.getBlockHash(birth);
  }
  const version = api.runtimeVersion;
  const explicit = u8aConcat(era.toU8a(), compactToU8a(nonce));
  const implicit = u8aConcat(
    stringToU8a('_meta_tx'),
    api.registry.createType('u32', version.specVersion).toU8a(),
    api.registry.createType('u32', version.transactionVersion).toU8a(),
    genesis.toU8a(),
    birthHash.toU8a(),
  );
  const payload = u8aConcat(new Uint8Array([META_EXTENSION_VERSION]), method.toU8a(), explicit, implicit);
  const signature = pair.sign(blake2AsU8a(payload, 256));
  const multiSignature = api.registry.createType('MultiSignature', { [signatureKind(pair)]: signature });
  const bytes = u8aConcat(
    method.toU8a(),
    new Uint8Array([META_EXTENSION_VERSION]),
    new Uint8Array([1]), // VerifySignature::Signed
    multiSignature.toU8a(),
    pair.publicKey.length === 32 ? pair.publicKey : blake2AsU8a(pair.publicKey, 256),
    explicit,
  );
  return { metaTx: u8aToHex(bytes), length: bytes.length };
}

function signatureKind(pair) {
  return { sr25519: 'Sr25519', ed25519: 'Ed25519', ecdsa: 'Ecdsa' }[pair.type];
}

/** The sponsor's call that submits a signed meta transaction. */
export function sponsoredCall(api, { metaTx, length }) {
  return api.tx.ehrSponsor.dispatch(metaTx, length);
}

/**
 * What a patient's key signs to agree to be onboarded by `organisation`, as
 * `EhrIdentity::onboarding_payload`: SCALE of (the 11 bytes "ehr/onboard", the genesis hash,
 * organisation (u32), the key's account nonce (u32), expiresAt (u32)). `expiresAt` is a block of
 * the EHR clock (the relay chain's), at most an hour (600 blocks) ahead. Resolves with the
 * `MultiSignature` for `ehrIdentity.onboardPatient(organisation, key, expiresAt, proof)`.
 */
export async function signOnboarding(api, pair, organisation, expiresAt) {
  const nonce = (await api.query.system.account(pair.address)).nonce.toNumber();
  const u32 = (n) => api.registry.createType('u32', n).toU8a();
  const payload = u8aConcat(stringToU8a('ehr/onboard'), api.genesisHash.toU8a(), u32(organisation), u32(nonce), u32(expiresAt));
  return api.registry.createType('MultiSignature', { [signatureKind(pair)]: pair.sign(payload) });
}
