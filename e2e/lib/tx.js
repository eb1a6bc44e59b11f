// Submits a signed extrinsic and waits until it is in a block (or, with `{ finalized: true }`,
// finalized). Resolves with the block hash and the extrinsic's events; rejects with the decoded
// module error (`pallet.Error`) if dispatch fails, or with the pool status if the transaction is
// dropped or invalid.
//
// On a parachain with several collators a block reported `InBlock` may be left for another fork;
// the signer's next transaction then gets a nonce from the other fork's state while the first one
// goes back to the pool, and the node refuses it ("1014: Priority is too low"). Waiting for
// finalization before the signer's next transaction rules that out.
export function send(api, tx, signer, { finalized = false } = {}) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          reject(new Error(moduleError(api, dispatchError.asModule)));
        } else {
          reject(new Error(dispatchError.toString()));
        }
        return;
      }
      // The dev node seals and finalises at once, so the pool may report `Finalized` without an
      // `InBlock` first.
      if (status.isInBlock && !finalized) resolve({ blockHash: status.asInBlock, events });
      if (status.isFinalized) resolve({ blockHash: status.asFinalized, events });
      if (status.isDropped || status.isInvalid || status.isUsurped) reject(new Error(status.type));
    }).catch(reject);
  });
}

// Sends `call` through `sudo.sudo` and fails unless the inner call succeeded too.
export async function sudo(api, call, signer) {
  const result = await send(api, api.tx.sudo.sudo(call), signer);
  const sudid = result.events.find(({ event }) => api.events.sudo.Sudid.is(event));
  if (!sudid) throw new Error('no Sudo.Sudid event');
  const inner = sudid.event.data.sudoResult;
  if (inner.isErr) {
    const err = inner.asErr;
    if (err.isModule) {
      const { section, name } = api.registry.findMetaError(err.asModule);
      throw new Error(`sudo: ${section}.${name}`);
    }
    throw new Error(`sudo: ${err.toString()}`);
  }
  return result;
}

/**
 * A module error as `section.Name`, or `section.Name(Field)` for an error with a field, such as
 * `ehrRecords.WriteDenied(ConsentExpired)`: the field is decoded from the error's bytes.
 */
export function moduleError(api, moduleErr) {
  const meta = api.registry.findMetaError(moduleErr);
  const name = `${meta.section}.${meta.name}`;
  if (!meta.fields || meta.fields.length === 0) return name;
  const bytes = moduleErr.error.toU8a().subarray(1);
  const field = api.registry.createType(api.registry.createLookupType(meta.fields[0].type), bytes);
  return `${name}(${field.toString()})`;
}

// A council motion as members do it in polkadot.js: `proposer` proposes `call` with `threshold`,
// each of `ayes` votes aye, then `proposer` closes it. Resolves with the motion's `Executed`
// result; fails if the call was not executed or failed (with the decoded module error).
// `opts` go to `send` (on a multi-collator network: `{ finalized: true }`).
export async function councilMotion(api, call, threshold, proposer, ayes, opts = {}) {
  const lengthBound = call.method.encodedLength;
  const proposed = await send(api, api.tx.council.propose(threshold, call, lengthBound), proposer, opts);
  const ev = proposed.events.find(({ event }) => api.events.council.Proposed.is(event));
  if (!ev) throw new Error('no Council.Proposed event');
  const { proposalIndex, proposalHash } = ev.event.data;
  // Members vote independently (each from its own account), so their votes go in together.
  await Promise.all(ayes.map((member) => send(api, api.tx.council.vote(proposalHash, proposalIndex, true), member, opts)));
  const weight = (await api.call.transactionPaymentCallApi.queryCallInfo(call, lengthBound)).weight;
  const closed = await send(api, api.tx.council.close(proposalHash, proposalIndex, weight, lengthBound), proposer, opts);
  const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
  if (!executed) throw new Error('the motion was not executed');
  const { result } = executed.event.data;
  if (result.isErr) {
    const err = result.asErr;
    throw new Error(err.isModule ? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(err.asModule)) : err.toString());
  }
  return closed;
}
