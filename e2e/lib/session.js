// A live `ehr-node --dev` with an @polkadot/api connection and the dev keys a test asks for.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from './node.js';

export async function startSession(uris) {
  const node = await startDevNode();
  const api = await ApiPromise.create({ provider: new WsProvider(node.wsUrl), noInitWarn: true });
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  return {
    node,
    api,
    keyring,
    keys: uris.map((uri) => keyring.addFromUri(uri)),
    async close() {
      await api.disconnect();
      await node.stop();
    },
  };
}
