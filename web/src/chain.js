// The app's connection to a node, its signers and its transactions.
//
// Signers: the polkadot.js browser extension when it is present; on a development chain only
// (the node reports `Development` or `Local`), the well-known development accounts as well. A
// production chain never gets a signer whose secret is public.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { sentenceOf } from './errors.js';

export const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/**
 * Connects to `url` and reports the connection's state to `onState(state, detail)`: 'connecting',
 * 'connected', 'disconnected' (the provider retries every 2.5 s on its own) or 'error'.
 */
export async function connect(url, onState = () => {}) {
  await cryptoWaitReady();
  onState('connecting', url);
  const provider = new WsProvider(url, 2500);
  provider.on('connected', () => onState('connected', url));
  provider.on('disconnected', () => onState('disconnected', url));
  provider.on('error', () => onState('error', url));
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: false });
  await api.isReady;
  const chainType = await api.rpc.system.chainType();
  const isDev = chainType.isDevelopment || chainType.isLocal;
  return { api, isDev, chain: (await api.rpc.system.chain()).toString() };
}

/**
 * The accounts the app can sign with: `{ address, name, source, signer?, pair? }`. The extension's
 * accounts when it is installed and the user allows this app; the development accounts on a
 * development chain.
 */
export async function signers(isDev) {
  const out = [];
  try {
    const { web3Enable, web3Accounts, web3FromAddress } = await import('@polkadot/extension-dapp');
    const extensions = await web3Enable('EHR consortium chain');
    if (extensions.length > 0) {
      for (const account of await web3Accounts()) {
        const injector = await web3FromAddress(account.address);
        out.push({ address: account.address, name: account.meta.name ?? account.address, source: account.meta.source, signer: injector.signer });
      }
    }
  } catch {
    // No extension in this browser: only development accounts, if any.
  }
  if (isDev) {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    for (const name of DEV_ACCOUNTS) {
      const pair = keyring.addFromUri(`//${name}`, { name });
      out.push({ address: pair.address, name: `${name} (development account)`, source: 'dev', pair });
    }
  }
  return out;
}

/**
 * Signs and submits `tx` as `account` and reports each state to `onStatus(state, detail)`:
 * 'signing', 'pending' (in the pool), 'in-block' (block hash), 'finalized' (block hash),
 * 'failed' (a sentence). Resolves with `{ blockHash, events }` once the extrinsic is in a block
 * (with `finalized`, once finalized); rejects with an Error whose message is a sentence.
 */
export function submit(api, tx, account, onStatus = () => {}, { finalized = false } = {}) {
  onStatus('signing');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message) => {
      onStatus('failed', message);
      if (!settled) { settled = true; reject(new Error(message)); }
    };
    const signer = account.pair ?? account.address;
    const options = account.pair ? {} : { signer: account.signer };
    tx.signAndSend(signer, options, ({ status, events, dispatchError }) => {
      if (dispatchError) { fail(sentenceOf(api, dispatchError)); return; }
      if (status.isReady || status.isBroadcast) onStatus('pending');
      if (status.isInBlock) {
        onStatus('in-block', status.asInBlock.toHex());
        if (!finalized && !settled) { settled = true; resolve({ blockHash: status.asInBlock, events }); }
      }
      if (status.isFinalized) {
        onStatus('finalized', status.asFinalized.toHex());
        if (!settled) { settled = true; resolve({ blockHash: status.asFinalized, events }); }
      }
      if (status.isDropped || status.isInvalid || status.isUsurped) {
        fail(`The node did not include the transaction (${status.type}). Try again.`);
      }
    }).catch((e) => fail(sentenceOf(api, e)));
  });
}
