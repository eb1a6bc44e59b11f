// The live load test: pre-signed extrinsics from many accounts, submitted as fast as the node
// takes them, against a real `ehr-node --dev`; inclusion throughput and latency per call, with
// balance transfers measured in the same run as the reference.
//
// Every submitted extrinsic must end in exactly one of two ways: included in a block (with its
// dispatch result), or rejected by the node with the reason it gave. Anything else is "lost" and
// fails the run.
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { send } from './tx.js';
import { LAB, TEST_KEY } from './ehr.js';
import { CATEGORIES, sealSet } from './privacy.js';

const UNIT = 1_000_000_000_000n;
const ALL_CATEGORIES = sealSet(TEST_KEY, 0, CATEGORIES); // every category, sealed
const READ_WRITE = 0b11;
const TREATMENT = 1 << 0;
const ALL_ROLES = 0x1ff; // every ProviderRole

/** The calls the load test measures, in the order it runs them. */
export const KINDS = ['transfer_keep_alive', 'grant_consent', 'anchor_record', 'record_access'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const quantile = (sorted, q) => (sorted.length === 0
  ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);

/** Runs one setup step (many signers in parallel, one extrinsic each) and fails on any error. */
async function setupAll(api, items, opts) {
  const results = await Promise.allSettled(items.map(([tx, signer]) => send(api, tx, signer, opts)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`setup: ${failed.length} of ${items.length} failed: ${failed[0].reason}`);
  return results.map((r) => r.value);
}

/** Submits a batched call signed by `signer` and fails unless every inner call succeeded. */
async function batchAll(api, calls, signer, opts) {
  for (let i = 0; i < calls.length; i += 256) {
    await send(api, api.tx.utility.batchAll(calls.slice(i, i + 256)), signer, opts);
  }
}

/**
 * Follows every block: which extrinsic (by hash) is in it, and whether it succeeded.
 * `seen` maps an extrinsic hash to `{ block, at, ok, error }`; `blocks` lists
 * `{ number, hash, at, hashes, announced }` in order, one row per block number with none missing.
 *
 * A new-heads subscription is only a wake-up call: under load it may skip heads (the node
 * coalesces notifications when the client is slow), so on each one the follower reads every
 * block from the last one it read up to the announced head *by number* (`getBlockHash(n)`), and
 * an extrinsic not found in any of them was really not included. `announced` is false for a
 * block read only because a later head was announced (its `at` is then that head's arrival);
 * `missedHeads` counts them.
 *
 * With `finalized`, it follows finalized heads instead: on a network of several collators a block
 * at a given number may still be replaced by another fork's, a finalized one may not.
 */
async function follow(api, { finalized = false } = {}) {
  const seen = new Map();
  const blocks = [];
  let next = null; // the next block number to read
  let missedHeads = 0;
  let queue = Promise.resolve();
  const read = async (number, at, announced) => {
    const hash = await api.rpc.chain.getBlockHash(number);
    const [block, events, weight] = await Promise.all([
      api.rpc.chain.getBlock(hash), api.query.system.events.at(hash), api.query.system.blockWeight.at(hash),
    ]);
    const hashes = block.block.extrinsics.map((x) => x.hash.toHex());
    hashes.forEach((h, index) => {
      const mine = events.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.eqn(index));
      const failed = mine.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
      let error = null;
      if (failed) {
        const err = failed.event.data.dispatchError;
        if (err.isModule) {
          const { section, name } = api.registry.findMetaError(err.asModule);
          error = `${section}.${name}`;
        } else error = err.toString();
      }
      seen.set(h, { block: number, at, ok: !failed, error, events: mine });
    });
    // What the block's `Normal` extrinsics consumed in the end: their weights after every
    // refund, and the proof after `StorageWeightReclaim` gave back what was not recorded.
    const normal = { refTime: weight.normal.refTime.toBigInt().toString(), proofSize: weight.normal.proofSize.toBigInt().toString() };
    blocks.push({ number, hash: hash.toHex(), at, hashes, announced, normal });
  };
  const subscribe = finalized ? api.rpc.chain.subscribeFinalizedHeads : api.rpc.chain.subscribeNewHeads;
  const unsub = await subscribe((header) => {
    const at = Date.now();
    const head = header.number.toNumber();
    queue = queue.then(async () => {
      if (next === null) next = head;
      for (let n = next; n <= head; n += 1) {
        if (n < head) missedHeads += 1;
        await read(n, at, n === head);
      }
      next = Math.max(next, head + 1);
    }).catch((e) => { queue.error = e; });
  });
  return {
    seen, blocks,
    get missedHeads() { return missedHeads; },
    async flush() { await queue; if (queue.error) throw queue.error; },
    stop: () => unsub(),
    nextBlock: async () => {
      const n = blocks.length;
      while (blocks.length === n) await sleep(20);
    },
  };
}

/**
 * Submits pre-signed extrinsics `{ hex, hash }` all at once (without waiting for one answer
 * before sending the next) and waits until each is included or was rejected.
 *
 * All at once, not a sender's next when its previous is accepted (as a wallet sends them):
 * every answer takes seconds under this load, and blocks would not fill. Sending each sender's
 * transactions 16 at a time was tried (2026-12-03) and lost more, not fewer: submissions then
 * arrive while the pool does its upkeep after each block (docs/PERFORMANCE.md, *Live load
 * test*).
 */
async function measure(api, tracker, kind, signed, { settleBlocks = 6 } = {}) {
  await tracker.nextBlock(); // start right after a block, so every kind starts alike
  const t0 = Date.now();
  const submitted = signed.map((x) => ({ ...x, sentAt: Date.now() }));
  const answers = await Promise.allSettled(
    submitted.map((x) => api.rpc.author.submitExtrinsic(x.hex)),
  );
  const submitDone = Date.now();
  const rejected = [];
  const accepted = [];
  answers.forEach((a, i) => {
    if (a.status === 'fulfilled') accepted.push(submitted[i]);
    else rejected.push({ hash: submitted[i].hash, reason: String(a.reason?.message ?? a.reason) });
  });
  // Wait until everything accepted is in a block; give up after `settleBlocks` blocks with no
  // progress (then the rest is lost, and the run fails).
  let idle = 0;
  let last = -1;
  for (;;) {
    await tracker.flush();
    const included = accepted.filter((x) => tracker.seen.has(x.hash)).length;
    if (included === accepted.length) break;
    if (included === last) idle += 1; else idle = 0;
    last = included;
    if (idle > settleBlocks) break;
    await tracker.nextBlock();
  }
  await tracker.flush();
  const included = [];
  const lost = [];
  for (const x of accepted) {
    const s = tracker.seen.get(x.hash);
    if (s) included.push({ ...x, ...s, latency: s.at - x.sentAt });
    else lost.push(x.hash);
  }
  const lastAt = included.reduce((m, x) => Math.max(m, x.at), t0);
  const seconds = (lastAt - t0) / 1000;
  const latencies = included.map((x) => x.latency).sort((a, b) => a - b);
  const perBlock = new Map();
  for (const x of included) perBlock.set(x.block, (perBlock.get(x.block) ?? 0) + 1);
  const failures = new Map();
  for (const x of included.filter((y) => !y.ok)) failures.set(x.error, (failures.get(x.error) ?? 0) + 1);
  const reasons = new Map();
  for (const r of rejected) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
  return {
    kind,
    submitted: signed.length,
    included: included.length,
    succeeded: included.filter((x) => x.ok).length,
    failed: Object.fromEntries(failures),
    rejected: Object.fromEntries(reasons),
    lost: lost.length,
    // The first lost extrinsics' hashes, to find them in the node's log.
    lostHashes: lost.slice(0, 20),
    submitSeconds: (submitDone - t0) / 1000,
    seconds,
    opsPerSecond: seconds > 0 ? included.filter((x) => x.ok).length / seconds : 0,
    latencyMs: { p50: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), max: latencies.at(-1) ?? null },
    // One row per block from the first inclusion to the last, empty blocks in between
    // included: a hole in the chart is a block that really included none of these.
    blocks: blockRows(perBlock).map((row) => {
      const b = tracker.blocks.find((x) => x.number === row.block);
      return { ...row, hash: b?.hash ?? null, extrinsics: b?.hashes.length ?? null, normal: b?.normal ?? null };
    }),
    startedAt: t0,
    included_: included,
  };
}

/** Rows `{ block, count }` for every block number from the first to the last key of `perBlock`. */
function blockRows(perBlock) {
  const numbers = [...perBlock.keys()];
  if (numbers.length === 0) return [];
  const rows = [];
  for (let block = Math.min(...numbers); block <= Math.max(...numbers); block += 1) {
    rows.push({ block, count: perBlock.get(block) ?? 0 });
  }
  return rows;
}

/** Signs `count` calls round-robin over `signers`, each with its own consecutive nonces. */
async function presign(api, signers, count, callFor) {
  const nonces = await Promise.all(signers.map((s) => api.rpc.system.accountNextIndex(s.address)));
  const next = nonces.map((n) => n.toNumber());
  // Immortal (era 0), so a long run never outlives its transactions' validity.
  const options = {
    blockHash: api.genesisHash, genesisHash: api.genesisHash, era: 0,
    runtimeVersion: api.runtimeVersion, signedExtensions: api.registry.signedExtensions,
  };
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const s = i % signers.length;
    const call = callFor(i, s);
    const tx = call.sign(signers[s], { ...options, nonce: next[s] });
    next[s] += 1;
    out.push({ hex: tx.toHex(), hash: tx.hash.toHex(), signer: s, tx: i === 0 ? tx : undefined });
  }
  return out;
}

/**
 * The weight the runtime gives one of these extrinsics: its call's (`queryCallInfo`) and the
 * whole extrinsic's with the transaction extensions (`queryInfo`); `base_extrinsic` comes on top.
 */
async function runtimeWeight(api, { tx }, signer) {
  const len = tx.encodedLength;
  // `paymentInfo` is what wallets call: `TransactionPaymentApi_query_info` on the extrinsic.
  const whole = await api.tx(tx.method).paymentInfo(signer);
  const only = await api.call.transactionPaymentCallApi.queryCallInfo(tx.method, len);
  const part = (w) => ({ refTime: w.refTime.toBigInt().toString(), proofSize: w.proofSize.toBigInt().toString() });
  return { call: part(only.weight), withExtensions: part(whole.weight), length: len };
}

/** Reads the runtime's block limits from the node (what the report divides by). */
export function blockLimits(api) {
  const w = api.consts.system.blockWeights;
  const normal = w.perClass.normal;
  const part = (x) => ({ refTime: x.refTime.toBigInt().toString(), proofSize: x.proofSize.toBigInt().toString() });
  return {
    specName: api.runtimeVersion.specName.toString(),
    specVersion: api.runtimeVersion.specVersion.toNumber(),
    blockMillis: Number(api.consts.aura?.slotDuration ?? 0) || null,
    maxBlock: part(w.maxBlock),
    baseBlock: part(w.baseBlock),
    normal: {
      baseExtrinsic: part(normal.baseExtrinsic),
      maxExtrinsic: part(normal.maxExtrinsic.unwrap()),
      maxTotal: part(normal.maxTotal.unwrap()),
    },
    normalMaxLength: api.consts.system.blockLength.max.normal.toNumber(),
  };
}

/**
 * Runs the whole load test against the node at `wsUrl`: `n` extrinsics of each kind from
 * `accounts` signers per kind. Returns the results; throws if anything was lost or failed.
 * `admin` is the key of organisation 0's admin, who accredits the providers (`//Dave` on the
 * development chain, `//Alice` on the local network). With `finalized` (a network of several
 * collators) setup transactions wait for finalization and the follower reads finalized blocks
 * only, so latencies are to finality.
 */
export async function runLoad({ wsUrl, n = 2000, accounts = 64, admin = '//Dave', finalized = false, log = () => {} }) {
  await cryptoWaitReady();
  const api = await ApiPromise.create({ provider: new WsProvider(wsUrl), noInitWarn: true });
  try {
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const orgAdmin = keyring.addFromUri(admin);
    const opts = { finalized };
    const make = (role) => Array.from({ length: accounts }, (_, i) => keyring.addFromUri(`//load//${role}//${i}`));
    const senders = make('sender');
    const providers = make('provider');
    const patients = make('patient');
    const limits = blockLimits(api);
    const perPair = Math.ceil(n / accounts);
    // Each patient grants `perPair` distinct providers one grant each (the bound is per patient and
    // grantee, `maxGrantsPerGrantee`).
    if (perPair > accounts) {
      throw new Error(`n=${n} needs more accounts: each patient grants each of ${accounts} providers at most once`);
    }

    log(`setup: funding ${3 * accounts} accounts, accrediting ${accounts} providers, registering ${accounts} patients`);
    const tracker = await follow(api, { finalized });
    await batchAll(api, [...senders, ...providers, ...patients]
      .map((a) => api.tx.balances.transferKeepAlive(a.address, 1_000n * UNIT)), alice, opts);
    await batchAll(api, providers.map((p) => api.tx.ehrIdentity.accreditProvider(p.address, 0, 'Physician')), orgAdmin, opts);
    const registered = await setupAll(api, patients.map((p) => [api.tx.ehrIdentity.registerPatient(), p]), opts);
    const patientIds = registered.map(({ events }) => events
      .find(({ event }) => api.events.ehrIdentity.PatientRegistered.is(event)).event.data.patient.toHex());
    // The organisation's grant that lets its providers anchor and read.
    await setupAll(api, patients.map((p, i) => [api.tx.ehrConsent.grantConsent(
      patientIds[i], { Organisation: 0 }, ALL_CATEGORIES, READ_WRITE, TREATMENT, ALL_ROLES, 0, null,
    ), p]), opts);

    const results = [];
    const run = async (kind, signed, signers) => {
      log(`${kind}: submitting ${signed.length} pre-signed extrinsics from ${accounts} accounts`);
      const weight = await runtimeWeight(api, signed[0], signers[0]);
      const r = await measure(api, tracker, kind, signed.map(({ tx, ...x }) => x));
      r.runtimeWeight = weight;
      log(`${kind}: ${r.succeeded}/${r.submitted} in ${r.seconds.toFixed(1)} s = ${r.opsPerSecond.toFixed(1)} ops/s`);
      results.push(r);
      return r;
    };

    await run('transfer_keep_alive', await presign(api, senders, n,
      (i, s) => api.tx.balances.transferKeepAlive(senders[(s + 1) % accounts].address, UNIT)), senders);
    // Patient s grants provider (s + k) its own scope: distinct (patient, provider) pairs.
    await run('grant_consent', await presign(api, patients, n, (i, s) => {
      const k = Math.floor(i / accounts);
      return api.tx.ehrConsent.grantConsent(patientIds[s], { Provider: providers[(s + k) % accounts].address },
        ALL_CATEGORIES, READ_WRITE, TREATMENT, ALL_ROLES, 0, null);
    }), patients);
    const anchors = await run('anchor_record', await presign(api, providers, n, (i, s) => {
      const k = Math.floor(i / accounts);
      const digest = { algorithm: 'Sha2_256', hash: u8aToHex(crypto.getRandomValues(new Uint8Array(32))) };
      return api.tx.ehrRecords.anchorRecord(patientIds[(s + k) % accounts], LAB, digest, null, null, 'Treatment');
    }), providers);
    // Each provider reads the records it anchored.
    const ids = Array.from({ length: accounts }, () => []);
    for (const x of anchors.included_) {
      const ev = x.events.find(({ event }) => api.events.ehrRecords.RecordAnchored.is(event));
      if (ev) ids[x.signer].push([ev.event.data.patient.toHex(), ev.event.data.record.toString()]);
    }
    await run('record_access', await presign(api, providers, n, (i, s) => {
      const mine = ids[s];
      const [patient, record] = mine[Math.floor(i / accounts) % mine.length];
      return api.tx.ehrRecords.recordAccess(patient, record, 'Treatment');
    }), providers);
    tracker.stop();
    // Block intervals from announced heads only: a block read because a later head was
    // announced has that head's arrival time.
    const announced = tracker.blocks.filter((b) => b.announced);
    const gaps = announced.slice(1).map((b, i) => b.at - announced[i].at).sort((a, b) => a - b);

    // Sustained throughput: the median block's inclusions per block interval. Unlike the
    // end-to-end rate it does not depend on where in a block interval the submission started.
    const interval = quantile(gaps, 0.5);
    for (const r of results) {
      const counts = r.blocks.map((b) => b.count).sort((a, b) => a - b);
      r.sustainedOpsPerSecond = interval ? (quantile(counts, 0.5) * 1000) / interval : 0;
    }
    const reference = results[0].sustainedOpsPerSecond;
    const endToEnd = results[0].opsPerSecond;
    for (const r of results) {
      r.ratioToTransfer = reference > 0 ? r.sustainedOpsPerSecond / reference : null;
      r.endToEndRatioToTransfer = endToEnd > 0 ? r.opsPerSecond / endToEnd : null;
      delete r.included_;
    }
    return { n, accounts, finalized, limits, blockIntervalMs: interval, missedHeads: tracker.missedHeads, results };
  } finally {
    await api.disconnect();
  }
}

/** A text chart of inclusions per block, one row per block and kind. */
export function chart(report, width = 50) {
  const rows = [];
  const max = Math.max(1, ...report.results.flatMap((r) => r.blocks.map((b) => b.count)));
  for (const r of report.results) {
    const first = r.blocks[0]?.block ?? 0;
    rows.push(`${r.kind} (sustained ${r.sustainedOpsPerSecond.toFixed(1)} ops/s, end to end ${r.opsPerSecond.toFixed(1)} ops/s)`);
    for (const b of r.blocks) {
      const bar = b.count ? '#'.repeat(Math.max(1, Math.round((b.count / max) * width))) : '';
      const why = b.end ? ` (block built in ${b.buildMs} ms, ended: ${b.end})` : '';
      rows.push(`  block +${String(b.block - first).padStart(2)} | ${bar} ${b.count}${why}`);
    }
  }
  return rows.join('\n');
}
