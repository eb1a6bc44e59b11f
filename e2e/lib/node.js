// Starts a real `ehr-node --dev` for a test run and always stops it.
//
// The node gets free ports and a temporary base path, so several runs (and a developer's own
// node on 9944) never collide. On failure, the tail of the node's log is printed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Path of the `ehr-node` binary: `$EHR_NODE`, else `$CARGO_TARGET_DIR/release/ehr-node`. */
export function nodeBinary() {
  const bin = process.env.EHR_NODE
    ?? join(process.env.CARGO_TARGET_DIR ?? resolve(here, '../../target'), 'release', 'ehr-node');
  if (!existsSync(bin)) {
    throw new Error(`ehr-node binary not found at ${bin}: build it with scripts/test.sh or set EHR_NODE`);
  }
  return bin;
}

/** A port the OS says is free right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Calls a JSON-RPC method over HTTP. */
export async function rpc(port, method, params = []) {
  const res = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `ehr-node --dev` and resolves once its RPC answers.
 * Returns `{ rpcPort, wsUrl, log(), stop() }`; `stop()` is idempotent and waits for the exit.
 * `log(n)` is the last `n` of the 5,000 lines kept; `onLine(line)`, if given, sees every line
 * of the node's output as it arrives, however long the run.
 */
export async function startDevNode({
  extraArgs = [], timeoutMs = 120_000, basePath: given, onLine = null,
} = {}) {
  const bin = nodeBinary();
  // A given base path is the caller's to keep (a restart test reuses it); a temporary one is
  // removed when the node stops.
  const basePath = given ?? mkdtempSync(join(tmpdir(), 'ehr-e2e-'));
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const args = [
    '--dev',
    '--base-path', basePath,
    '--rpc-port', String(rpcPort),
    '--port', String(p2pPort),
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  // A chunk may end in the middle of a line: each stream keeps its unfinished tail.
  const keeper = () => {
    let tail = '';
    return (chunk) => {
      const parts = (tail + chunk.toString()).split('\n');
      tail = parts.pop();
      for (const line of parts) {
        if (!line) continue;
        lines.push(line);
        if (onLine) onLine(line);
      }
      if (lines.length > 5000) lines.splice(0, lines.length - 5000);
    };
  };
  child.stdout.on('data', keeper());
  child.stderr.on('data', keeper());
  let exited = null;
  const exit = new Promise((r) => child.on('exit', (code, signal) => { exited = { code, signal }; r(exited); }));

  const node = {
    rpcPort,
    wsUrl: `ws://127.0.0.1:${rpcPort}`,
    basePath,
    args,
    log: (n = 60) => lines.slice(-n).join('\n'),
    exited: () => exited,
    async stop() {
      if (!exited) {
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exit;
        clearTimeout(timer);
      }
      if (!given) rmSync(basePath, { recursive: true, force: true });
      return exited;
    },
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await node.stop();
      throw new Error(`ehr-node exited early (${JSON.stringify(exited)}):\n${node.log()}`);
    }
    try {
      await rpc(rpcPort, 'system_health');
      return node;
    } catch {
      if (Date.now() > deadline) {
        await node.stop();
        throw new Error(`ehr-node RPC did not answer within ${timeoutMs} ms:\n${node.log()}`);
      }
      await sleep(250);
    }
  }
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor(what, fn, { timeoutMs = 60_000, everyMs = 500 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
