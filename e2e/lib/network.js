// The local test network of `scripts/network.sh`, started with zombienet (native provider) from
// the same specs and config: relay validators alice and bob (`ehr-relay`), the parachain's
// collators charlie and dave, collator eve (not in the collator set at genesis) and full node
// ferdie. Used by the network test and by the load test's `--network` mode.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PORTS = { alice: 9900, bob: 9901, charlie: 9944, dave: 9945, eve: 9946, ferdie: 9947 };
export const wsUrl = (name) => `ws://127.0.0.1:${PORTS[name]}`;

/**
 * Prepares the specs (`scripts/network.sh --prepare-only`) in `dir` and starts the network in
 * `dir/zombie`. Returns `{ network, dir, logTails, logOf, stop }`; on a failed start it prints
 * every node's log tail, kills what was started and throws.
 */
export async function startNetwork({ dir, log = () => {} }) {
  log('preparing the specs (scripts/network.sh --prepare-only)');
  const prep = spawnSync('bash', [join(ROOT, 'scripts/network.sh'), '--prepare-only', '--dir', dir], {
    encoding: 'utf8', env: process.env, stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (prep.status !== 0) throw new Error('scripts/network.sh --prepare-only failed');
  for (const line of readFileSync(join(dir, 'network.env'), 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) process.env[line.slice(0, at)] = line.slice(at + 1);
  }
  const { readNetworkConfig } = await import('@zombienet/utils');
  const { start } = await import('@zombienet/orchestrator');
  const config = readNetworkConfig(process.env.EHR_NETWORK_CONFIG);
  const logs = join(dir, 'zombie');
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });

  const logOf = (name) => {
    const file = join(logs, `${name}.log`);
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  };
  /** The tail of every node's log, for a failing step. */
  const logTails = (lines = 40) => Object.keys(PORTS).map((name) => {
    const text = logOf(name);
    if (text === null) return `--- ${name}: no log`;
    return `--- ${name}.log\n${text.split('\n').slice(-lines).join('\n')}`;
  }).join('\n');
  /** Kills any node process of this network still running (every one runs under `dir`). */
  const killLeftovers = () => spawnSync('pkill', ['-KILL', '-f', logs]);

  log('starting the network with zombienet');
  let network;
  try {
    network = await start('', config, { spawnConcurrency: 1, logType: 'silent', dir: logs, force: true });
  } catch (e) {
    console.log(logTails());
    killLeftovers();
    throw e;
  }
  const stop = async () => {
    log('stopping the network');
    await network.stop().catch((e) => console.log(`zombienet stop: ${e.message}`));
    killLeftovers();
  };
  return { network, dir, logTails, logOf, stop };
}
