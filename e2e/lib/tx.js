// Submits a signed extrinsic and waits until it is in a block. Resolves with the block hash and
// the extrinsic's events; rejects with the decoded module error (`pallet.Error`) if dispatch
// fails, or with the pool status if the transaction is dropped or invalid.

export function send(api, tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const { section, name } = api.registry.findMetaError(dispatchError.asModule);
          reject(new Error(`${section}.${name}`));
        } else {
          reject(new Error(dispatchError.toString()));
        }
        return;
      }
      // The dev node seals and finalises at once, so the pool may report `Finalized` without an
      // `InBlock` first.
      if (status.isInBlock) resolve({ blockHash: status.asInBlock, events });
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
