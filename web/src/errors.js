// Errors as sentences a person understands, never an index.
//
// A module error's sentence is its documentation in the runtime's metadata (the `///` comment of
// the error variant in the pallet), so it stays true as the pallets change. Errors that carry a
// reason (`WriteDenied(ConsentExpired)`) add the reason's own documentation.

const GENERIC = {
  BadOrigin: 'This account is not allowed to make this call.',
  CannotLookup: 'An account or id in the request does not exist.',
  Exhausted: 'The chain is too busy right now. Try again in a few seconds.',
  Corruption: 'The chain reported an internal inconsistency. Contact the consortium operators.',
  Unavailable: 'A resource the call needs is unavailable right now. Try again later.',
  RootNotAllowed: 'This call cannot be made by governance.',
};

const TOKEN = {
  FundsUnavailable: 'The account does not have enough free funds for this.',
  OnlyProvider: 'The account would be left without the minimum balance it needs.',
  BelowMinimum: 'The amount is below the minimum balance.',
  CannotCreate: 'The account cannot be created.',
  UnknownAsset: 'Unknown asset.',
  Frozen: 'The funds are frozen.',
  Unsupported: 'This operation is not supported.',
  CannotCreateHold: 'The account cannot hold another deposit.',
  NotExpendable: 'The account would be removed by this.',
  Blocked: 'The account is blocked.',
};

// What the node says when it refuses a transaction before it reaches a block.
const POOL = [
  [/Inability to pay some fees|account balance too low/i, 'The signing account cannot pay the transaction fee. A patient can use a sponsored call instead.'],
  [/Transaction is outdated|Stale/i, 'The transaction was already used or is outdated. Try again.'],
  [/Priority is too low/i, 'Another transaction from this account is still pending. Wait for it, then try again.'],
  [/Transaction call is not expected|Call filtered|CallFiltered/i, 'The chain does not accept this call.'],
  [/bad signature|BadProof/i, 'The signature was rejected. Check the selected account.'],
  [/Cancelled|Rejected by user/i, 'Signing was cancelled.'],
];

/** `ConsentRevoked` → `consent revoked`: a variant without documentation, in words. */
export const words = (name) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

const firstSentence = (docs) => {
  const text = docs.map((d) => d.toString().trim()).filter(Boolean).join(' ').replace(/`/g, '');
  return text;
};

/** The documentation of variant `name` of the type `typeId`, or null. */
function variantDocs(registry, typeId, index) {
  try {
    const def = registry.lookup.getSiType(typeId).def;
    if (!def.isVariant) return null;
    const variant = def.asVariant.variants.find((v) => v.index.toNumber() === index);
    return variant ? { name: variant.name.toString(), docs: firstSentence(variant.docs) } : null;
  } catch {
    return null;
  }
}

/** A module error (`DispatchError::Module`) as a sentence, with its pallet and name for support. */
export function moduleSentence(api, moduleErr) {
  const meta = api.registry.findMetaError(moduleErr);
  let sentence = firstSentence(meta.docs) || `${meta.section}.${meta.name}`;
  if (meta.fields && meta.fields.length > 0) {
    // The reason is the error's field, encoded after the variant byte.
    const bytes = moduleErr.error.toU8a().subarray(1);
    const reason = variantDocs(api.registry, meta.fields[0].type.toNumber(), bytes[0]);
    if (reason) sentence = `${sentence.replace(/\.$/, '')}: ${reason.docs || words(reason.name)}`;
  }
  if (!/[.!?]$/.test(sentence)) sentence += '.';
  return { sentence, code: `${meta.section}.${meta.name}` };
}

/** Any error the app meets (a `DispatchError`, an RPC error, an Error) as one sentence. */
export function sentenceOf(api, err) {
  if (err && typeof err === 'object' && 'isModule' in err) {
    if (err.isModule) {
      const { sentence, code } = moduleSentence(api, err.asModule);
      return `${sentence} (${code})`;
    }
    if (err.isToken) return TOKEN[err.asToken.type] ?? `The transfer of funds failed (${err.asToken.type}).`;
    if (err.isArithmetic) return 'A number in the request is out of range.';
    return GENERIC[err.type] ?? `The chain refused the call (${err.type}).`;
  }
  const message = String(err?.message ?? err);
  for (const [pattern, sentence] of POOL) if (pattern.test(message)) return sentence;
  if (/disconnected|WebSocket|No response received/i.test(message)) {
    return 'The connection to the node was lost. The app reconnects on its own; try again when it shows "connected".';
  }
  return message;
}
