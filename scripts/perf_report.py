#!/usr/bin/env python3
"""Generates docs/PERFORMANCE.md from the committed benchmark output and the runtime's limits.

Inputs (all in the repository, all written by scripts, never by hand):
  * pallets/*/src/weights.rs            the EHR weights (scripts/benchmark.sh)
  * docs/perf/reference_weights.rs      pallet_balances::transfer_keep_alive, same run
  * docs/perf/load-test.json            the live load test and the block limits the node
                                        reported (scripts/load-test.sh)
  * docs/perf/load-test.txt             its chart
  * docs/perf/load-test-network.*       the same on the relay-chain network, when it was run
                                        (scripts/load-test.sh --network)

  * docs/perf/storage.json              the measured database weights (scripts/storage-bench.sh)
  * runtime/src/db_weights.rs           the runtime's `DbWeight`, written from it

Ratios are evaluated twice: with polkadot-sdk's default RocksDB weights (a read costs 25 µs and a
write 100 µs of ref time), as the chains compared with publish them, and with the measured
database weights the runtime charges (`EhrDbWeight`). How many calls fit in a block uses what the
runtime charges, in its `Normal` class: `max_total` divided by (call weight + `base_extrinsic`),
for ref time and for proof size separately; "overall" is the smaller.

Usage: scripts/perf_report.py [--check]   (--check: fail if docs/PERFORMANCE.md is out of date)
       scripts/perf_report.py --compare-weights <committed repository root>
         (fail if the weights here, just written by a quick benchmark run, access storage
          differently from the committed ones: a weight file that no longer matches the code)
"""
import argparse
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# polkadot-sdk's `RocksDbWeight`, which every compared chain's published ratios use.
READ_PS = 25_000_000
WRITE_PS = 100_000_000
SDK_DB = (READ_PS, WRITE_PS)
PALLETS = ["identity", "consent", "audit", "records", "governance", "sponsor"]

# Targets of issue 7.
MAX_REF_RATIO = 1.5
MAX_PROOF_RATIO = 2.0
MIN_ANCHORS_PER_BLOCK = 2000
# Issue 18: items per block through the bulk calls.
MIN_BULK_ANCHORS_PER_BLOCK = 3000
MIN_BULK_ACCESSES_PER_BLOCK = 5000
MIN_BATCH_DOCS_PER_BLOCK = 100_000
MIN_LOAD_RATIO = 0.8
# Components that must be flat: (call, component) -> what the component counts.
FLAT = {
    ("pallet_ehr_consent", "check_access", "n"): "grants the patient gave to other grantees",
    ("pallet_ehr_records", "record_access", "n"): "records of the patient",
}
# Issue 18 (5 of 7): ratios to each chain's own transfer_keep_alive, from each chain's generated
# weight files, as the issue quotes them; and this chain's targets, each call with the consent
# check's worst case added where it runs it.
COMPARED = [
    ("KILT `attestation::add` (record + index + deposit)", "3.37× (4.59× through a DID)", 4),
    ("CORD `statement::register` (record + index + timeline, no deposit)", "3.95×", 5),
    ("Centrifuge `anchors::commit`", "4.08×", None),
    ("DeBio `add_electronic_medical_record`", "about 4.7×", 5),
    ("Frequency `msa::grant_delegation`", "5.37×", 4),
    ("Frequency `msa::revoke_delegation_by_delegator`", "1.27×", None),
]
# (pallet, call, components, adds the consent check, ref-time target, most writes). No call
# adds the check any more: the records benchmarks reach its worst case themselves.
TARGETS_18 = [
    ("pallet_ehr_records", "anchor_record", {}, False, 3.0, 4),
    ("pallet_ehr_records", "amend_record", {}, False, 3.5, None),
    ("pallet_ehr_consent", "grant_consent", {}, False, 4.0, 4),
    ("pallet_ehr_consent", "revoke_consent", {}, False, 1.2, 2),
    ("pallet_ehr_records", "record_access", "max", False, 2.0, None),
    ("pallet_ehr_consent", "check_access", "max", False, 1.0, None),
]
MAX_PROOF_RATIO_18 = 1.3
# The state growth projection: a consortium of 20 hospitals with one million cross-organisation
# reads a day, kept for the audit retention (2,196 days, six years of 366). The other rates are
# assumptions, stated in the report.
# The runtime's `MAX_GRANTS_PER_GRANTEE`, and the bytes of a `Grants` key with its length byte
# (16 + 32, 16 + 33, 1).
MAX_GRANTS_PER_GRANTEE = 4
GRANTS_KEY_BYTES = 98
RETENTION_DAYS = 2196
READS_PER_DAY = 1_000_000
RECORDS_PER_DAY = 100_000       # 5,000 documents anchored per hospital a day
GRANTS_PER_DAY = 20_000         # 1,000 grants per hospital a day
# A slope is flat if the whole range adds less than this share of the call's weight.
FLAT_TOLERANCE = 0.10

FN = re.compile(r"^\tfn (\w+)\(([^)]*)\) -> Weight \{$")
RANGE = re.compile(r"The range of component `(\w+)` is `\[(\d+), (\d+)\]`")
STORAGE = re.compile(r"Storage: `([\w:]+)` \(r:(\d+) w:(\d+)\)")
MAX_SIZE = re.compile(r"Proof: `([\w:]+)` \(`max_values`: [^,]+, `max_size`: Some\((\d+)\)")
# Every storage item's `max_size` (key and value, `MaxEncodedLen`) as the weight files report it.
MAX_SIZES = {}
BASE = re.compile(r"^Weight::from_parts\(([\d_]+), ([\d_]+)\)")
SLOPE = re.compile(r"Weight::from_parts\(([\d_]+), 0\)\.saturating_mul\((\w+)\.into\(\)\)")
PROOF_SLOPE = re.compile(r"Weight::from_parts\(0, ([\d_]+)\)\.saturating_mul\((\w+)\.into\(\)\)")
DB = re.compile(r"\.(reads|writes)\(([\d_]+)_u64\)\)$")
DB_SLOPE = re.compile(r"\.(reads|writes)\(\(([\d_]+)_u64\)\.saturating_mul\((\w+)\.into\(\)\)\)\)$")
NAME = re.compile(r"Autogenerated weights for `(\w+)`")
RUN = re.compile(r"STEPS: `(\d+)`, REPEAT: `(\d+)`")


def num(text):
    return int(text.replace("_", ""))


def parse(path):
    """{call: {ranges, base, proof, slopes, proof_slopes, db, storage}} from the `impl ... for ()`
    block (evaluated with the runtime's RocksDB weights)."""
    text = Path(path).read_text()
    block = text[text.index("impl WeightInfo for ()"):]
    calls, ranges, storage, current = {}, {}, [], None
    for raw in block.splitlines():
        line = raw.strip()
        if m := MAX_SIZE.search(line):
            MAX_SIZES[m.group(1)] = int(m.group(2))
        if m := STORAGE.search(line):
            storage.append((m.group(1), int(m.group(2)), int(m.group(3))))
        elif m := RANGE.search(line):
            ranges[m.group(1)] = (int(m.group(2)), int(m.group(3)))
        elif m := FN.match(raw):
            current = {"ranges": ranges, "storage": storage, "base": 0, "proof": 0, "slopes": [],
                       "proof_slopes": [], "db": []}
            calls[m.group(1)] = current
            ranges, storage = {}, []
        elif current is None:
            continue
        elif m := BASE.match(line):
            current["base"], current["proof"] = num(m.group(1)), num(m.group(2))
        elif m := DB_SLOPE.search(line):
            current["db"].append((m.group(1), num(m.group(2)), m.group(3)))
        elif m := DB.search(line):
            current["db"].append((m.group(1), num(m.group(2)), None))
        elif m := PROOF_SLOPE.search(line):
            current["proof_slopes"].append((num(m.group(1)), m.group(2)))
        elif m := SLOPE.search(line):
            current["slopes"].append((num(m.group(1)), m.group(2)))
    name = NAME.search(text).group(1)
    run = RUN.search(text)
    return name, (int(run.group(1)), int(run.group(2))) if run else None, calls


def measured_db():
    """(read ps, write ps) of the runtime's `EhrDbWeight` (runtime/src/db_weights.rs)."""
    text = (ROOT / "runtime/src/db_weights.rs").read_text()
    found = [num(re.search(rf"{k}: ([\d_]+) \* WEIGHT_REF_TIME_PER_NANOS", text).group(1)) * 1000
             for k in ("read", "write")]
    return found[0], found[1]


def runtime_db_weight():
    """The `DbWeight` the runtime's `frame_system::Config` names: `EhrDbWeight` (the measured
    constants) or `RocksDbWeight` (the SDK's). Anything else, or no such line, is an error: the
    report must not guess which constants the runtime charges."""
    text = (ROOT / "runtime/src/configs/mod.rs").read_text()
    found = re.findall(r"^\s*type\s+DbWeight\s*=\s*([\w:]+)\s*;", text, re.M)
    names = {f.split("::")[-1] for f in found}
    if len(found) != 1 or not names <= {"EhrDbWeight", "RocksDbWeight"}:
        sys.exit(f"runtime/src/configs/mod.rs: expected one `type DbWeight = EhrDbWeight | "
                 f"RocksDbWeight;`, found {found}")
    return names.pop()


def evaluate(model, values, db=SDK_DB):
    """(ref time ps, proof bytes, reads, writes) at the given component values, database
    accesses priced at `db` (read ps, write ps)."""
    ref = model["base"] + sum(s * values.get(c, 0) for s, c in model["slopes"])
    reads = writes = 0
    for kind, count, comp in model["db"]:
        n = count * (values.get(comp, 0) if comp else 1)
        if kind == "reads":
            reads += n
        else:
            writes += n
    ref += reads * db[0] + writes * db[1]
    proof = model["proof"] + sum(s * values.get(c, 0) for s, c in model["proof_slopes"])
    return ref, proof, reads, writes


def fmt_int(n):
    return f"{n:,}"


def extension_weight(load):
    """What the transaction extensions add to a transfer, as the node reported it."""
    w = next(r for r in load["results"] if r["kind"] == "transfer_keep_alive")["runtimeWeight"]
    return tuple(int(w["withExtensions"][k]) - int(w["call"][k]) for k in ("refTime", "proofSize"))


def median_per_block(result):
    """The median block's inclusions of one load-test kind (what its sustained rate is from)."""
    counts = sorted(b["count"] for b in result["blocks"])
    return counts[len(counts) // 2] if counts else 0


def per_block(ref, proof, limits, extensions):
    normal = limits["normal"]
    max_ref, max_proof = int(normal["maxTotal"]["refTime"]), int(normal["maxTotal"]["proofSize"])
    base_ref = int(normal["baseExtrinsic"]["refTime"]) + extensions[0]
    base_proof = int(normal["baseExtrinsic"]["proofSize"]) + extensions[1]
    by_ref = max_ref // (ref + base_ref)
    by_proof = max_proof // (proof + base_proof) if proof + base_proof else None
    overall = by_ref if by_proof is None else min(by_ref, by_proof)
    return by_ref, by_proof, overall


def generate():
    ref_name, ref_run, ref_calls = parse(ROOT / "docs/perf/reference_weights.rs")
    if "transfer_keep_alive" not in ref_calls:
        sys.exit("docs/perf/reference_weights.rs has no transfer_keep_alive")
    t_ref, t_proof, t_reads, t_writes = evaluate(ref_calls["transfer_keep_alive"], {})
    mdb = measured_db()
    # Whether the runtime charges the measured constants (`type DbWeight = EhrDbWeight`) or still
    # the SDK's; the per-block counts use whichever it charges.
    wired = runtime_db_weight() == "EhrDbWeight"
    rdb = mdb if wired else SDK_DB
    storage = json.loads((ROOT / "docs/perf/storage.json").read_text())
    tm_ref = evaluate(ref_calls["transfer_keep_alive"], {}, mdb)[0]
    load = json.loads((ROOT / "docs/perf/load-test.json").read_text())
    limits = load["limits"]
    chart = (ROOT / "docs/perf/load-test.txt").read_text().rstrip()
    normal = limits["normal"]
    ext_ref, ext_proof = extension_weight(load)

    pallets = [parse(ROOT / f"pallets/{p}/src/weights.rs") for p in PALLETS]
    runs = {run for _, run, _ in pallets} | {ref_run}
    if len(runs) != 1:
        sys.exit(f"the weight files come from different runs (steps, repeat): {sorted(runs)}")
    steps, repeat = ref_run

    out = []
    w = out.append
    w("# Performance\n")
    w("Generated by `scripts/perf_report.py` from the weight files that `scripts/benchmark.sh` "
      "writes and from the live load test of `scripts/load-test.sh`. Do not edit: rerun them.\n")
    w("Every figure is a ratio against `pallet_balances::transfer_keep_alive` measured in the same "
      "run, on the same machine, over the same runtime WASM: absolute times depend on the machine, "
      "ratios do not.\n")
    w("## How it is measured\n")
    w(f"- **Weights**: `ehr-node benchmark pallet` (polkadot-sdk's `frame-benchmarking-cli` "
      f"runner) over the real runtime WASM built with `runtime-benchmarks`, genesis preset "
      f"`development`, {steps} steps, {repeat} repeats, worst-case setup in every benchmark. "
      "Proof sizes are the benchmarks' `MaxEncodedLen` estimates.")
    w(f"- **Database accesses** are priced two ways. *SDK DB*: polkadot-sdk's default "
      f"`RocksDbWeight`, read {READ_PS / 1e6:.0f} µs, write {WRITE_PS / 1e6:.0f} µs, the "
      "constants every compared chain's published ratios use, so the issue's targets are stated "
      f"with them. *Measured DB*: read {mdb[0] / 1e6:.1f} µs, write {mdb[1] / 1e6:.1f} µs, "
      "this chain's node measured over a filled database (see *Database weights* below). "
      + ("The runtime charges the measured ones (`EhrDbWeight`), so every per-block count and "
         "the live load test use them." if wired else
         "**The runtime still charges the SDK's defaults**: with the measured constants wired "
         "in, the live load test lost transactions (see *Database weights*), so they are not "
         "in use yet; every per-block count and the live load test are with the defaults."))
    w(f"- **Reference**: `transfer_keep_alive` = {t_ref / 1e6:.1f} µs ref time with the SDK's "
      f"database weights, {tm_ref / 1e6:.1f} µs with the measured ones "
      f"({t_reads} read, {t_writes} write), {fmt_int(t_proof)} bytes of proof.")
    w(f"- **Block limits**, read from the runtime (spec `{limits['specName']}` "
      f"v{limits['specVersion']}) through the node: `Normal` extrinsics may use "
      f"{int(normal['maxTotal']['refTime']) / 1e12:.2f} s of ref time and "
      f"{fmt_int(int(normal['maxTotal']['proofSize']))} bytes of proof per block; each extrinsic "
      f"also pays `base_extrinsic` = {int(normal['baseExtrinsic']['refTime']) / 1e6:.1f} µs "
      f"and the transaction extensions (nonce, mortality, fee, weight reclaim) "
      f"{ext_ref / 1e6:.1f} µs and {fmt_int(ext_proof)} bytes, as the node reports for a "
      f"transfer (`queryInfo` minus `queryCallInfo`). A block is "
      f"{limits['blockMillis'] / 1000:.0f} s.\n")

    imp, val = storage["import_block"], storage["validate_block"]
    w("## Database weights\n")
    w("`scripts/storage-bench.sh` measures what one storage read and one write cost on this "
      "chain's node: polkadot-sdk's `benchmark storage`, in `ehr-node` built with "
      f"`runtime-benchmarks` (CLI {imp['cli_version']}, {imp['date']}, CPU `{imp['cpu']}`), "
      f"over the development chain's state with {fmt_int(storage['items'])} items added "
      "(`scripts/storage_fill.py`: values the size of audit entries, records and grant lists, "
      "under keys laid out as a map's), a RocksDB database of "
      f"{storage['db_bytes'] / 1e6:,.0f} MB. It reads every key and writes them back in batches "
      f"of {fmt_int(imp['batch_size'])} (about a full block's writes, so each write carries its "
      "share of the storage root's computation), once as a collator imports a block "
      "(`--mode import-block`, the node's RocksDB) and once as relay-chain validators re-execute "
      "it (`--mode validate-block`, over the block's proof, 100,000 of the keys). A block must "
      "fit both, so the constant is the larger of each, the average × 1.1 "
      "(`runtime/src/db_weights.rs`, `EhrDbWeight`).\n")
    w("| | read: average / median / p95 (µs) | write: average / median / p95 (µs) | weight: read / write (µs) |")
    w("|---|---:|---:|---:|")
    for label, m in [("block import (RocksDB)", imp), ("block validation (proof)", val)]:
        r, wr = m["read_ns"], m["write_ns"]
        w(f"| {label} | {r['avg'] / 1e3:.1f} / {r['median'] / 1e3:.1f} / {r['p95'] / 1e3:.1f} | "
          f"{wr['avg'] / 1e3:.1f} / {wr['median'] / 1e3:.1f} / {wr['p95'] / 1e3:.1f} | "
          f"{m['read_weight_ns'] / 1e3:.1f} / {m['write_weight_ns'] / 1e3:.1f} |")
    w(f"| **`EhrDbWeight`** (the larger) | | | **{mdb[0] / 1e6:.1f} / {mdb[1] / 1e6:.1f}** |")
    w(f"| polkadot-sdk's `RocksDbWeight` (the default) | | | {READ_PS / 1e6:.0f} / {WRITE_PS / 1e6:.0f} |")
    if wired:
        w("\n**In use since spec 10.** When first wired in, the live load test lost transactions; "
          "the cause was the transaction pool at the development node's 3-second blocks, not the "
          "weights (the issue's fresh-machine run lost 3,710 transfers with the SDK's constants; see "
          "*Live load test*), and with "
          "6-second blocks, the parachain's pace, it loses none.\n")
    if not wired:
        w("**Not in use yet.** With `EhrDbWeight` as the runtime's `DbWeight` (spec 10, "
          "2026-12-03) the live load test of `scripts/load-test.sh` lost transactions in both "
          "runs made: 677 of 12,000 `anchor_record` in one, 5,275 of 12,000 `grant_consent` in "
          "the other, submitted and accepted by the node's pool, never included (the blocks "
          "ended with `NoMoreTransactions` while they were outstanding). The same node binary "
          "with the defaults' runtime, in the same hour, lost none (the run below). Until the "
          "cause is found the runtime keeps polkadot-sdk's `RocksDbWeight`; the *measured DB* "
          "columns show what the measured constants would charge.\n")
    w(f"\n`EhrDbWeight` charges a read {mdb[0] / READ_PS:.2f}× and a write {mdb[1] / WRITE_PS:.2f}× "
      "what the defaults charge. A read is measured cold, as a weight must charge it: the "
      "benchmark runs without the trie cache (polkadot-sdk's rule for weights), each key read "
      "once, through the trie's branch nodes in RocksDB. A node building a block of a small, hot "
      "state does better (the load test below), which is why block-building times cannot "
      "replace this measurement. The database is far smaller than a consortium's after years "
      f"(the projection below: hundreds of GB): {fmt_int(storage['items'])} items put about "
      f"{math.log(storage['items'], 16):.0f} trie levels under a map's prefix, a few billion "
      f"about {math.log(3e9, 16):.0f}, and a database larger than the machine's memory reads "
      "from disk. Rerun the script on a copy of the live database (`--base-path`) before "
      "relying on the constants in production; the ratios below are given with the defaults "
      "too.\n")
    w("## Every call\n")
    w("Calls with components are shown at the lowest and the highest value. \"Per block\" counts "
      "how many fit in one block's `Normal` share (each with `base_extrinsic` and the extensions' "
      "weight added), by ref time, by proof size, and overall (the smaller). The proof count "
      "uses worst-case estimates, the extensions' included, before `StorageWeightReclaim` gives "
      "back what was not used: it is a lower bound, and the live test below shows what a node "
      "really includes. Ref time and its ratio are with the SDK's database weights, the next "
      "ratio with the measured ones; the per-block counts use the constants the runtime "
      "charges. ✔ marks a call within both targets (≤ "
      f"{MAX_REF_RATIO}× ref time, ≤ {MAX_PROOF_RATIO}× proof, SDK DB).\n")
    w("| Call | Components | Ref time (µs) | × transfer | × transfer, measured DB | Proof (bytes) | × transfer | Reads / writes | Per block: ref time | proof | overall | Targets |")
    w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    rows = {}
    misses = []
    slopes = []
    for name, _, calls in pallets:
        for call, model in calls.items():
            points = [{}]
            if model["ranges"]:
                points = [{c: lo for c, (lo, _) in model["ranges"].items()},
                          {c: hi for c, (_, hi) in model["ranges"].items()}]
            for values in points:
                ref, proof, reads, writes = evaluate(model, values)
                m_ref = evaluate(model, values, mdb)[0]
                charged = m_ref if wired else ref  # what the runtime's DbWeight charges
                by_ref, by_proof, overall = per_block(charged, proof,
                                                      limits, (ext_ref, ext_proof))
                rr, pr = ref / t_ref, proof / t_proof
                ok = rr <= MAX_REF_RATIO and pr <= MAX_PROOF_RATIO
                comps = ", ".join(f"{c}={v}" for c, v in values.items()) or "-"
                rows[(name, call, comps)] = (ref, proof, by_ref, by_proof, overall)
                w(f"| `{name}::{call}` | {comps} | {ref / 1e6:.1f} | {rr:.2f} | "
                  f"{m_ref / tm_ref:.2f} | {fmt_int(proof)} "
                  f"| {pr:.2f} | {reads} / {writes} | {fmt_int(by_ref)} | "
                  f"{fmt_int(by_proof) if by_proof is not None else '∞'} | {fmt_int(overall)} | "
                  f"{'✔' if ok else '✘'} |")
                if not ok and values == points[-1]:
                    misses.append((name, call, comps, rr, pr, reads, writes, ref, model))
            for comp, (lo, hi) in model["ranges"].items():
                base = {c: l for c, (l, _) in model["ranges"].items()}
                top = dict(base, **{comp: hi})
                r0, p0, _, _ = evaluate(model, base)
                r1, p1, _, _ = evaluate(model, top)
                span = max(hi - lo, 1)
                slopes.append((name, call, comp, lo, hi, (r1 - r0) / span, (p1 - p0) / span,
                               (r1 - r0) / r0 if r0 else 0.0, (p1 - p0) / p0 if p0 else 0.0))

    w("\n## Component slopes\n")
    w("The weight each unit of a component adds (ref time includes its database accesses), and "
      "how much the whole range adds to the call. The consent check and `record_access` must be "
      "flat: their cost may not grow with the grants or records a patient has.\n")
    w("| Call | Component | Range | Ref time per unit (µs) | Proof per unit (bytes) | Whole range adds (ref / proof) | Flat? |")
    w("|---|---|---|---:|---:|---:|:---:|")
    flat_results = {}
    for name, call, comp, lo, hi, rs, ps, rg, pg in slopes:
        must = FLAT.get((name, call, comp))
        flat = rg <= FLAT_TOLERANCE and pg <= FLAT_TOLERANCE
        if must:
            flat_results[(name, call, comp)] = (flat, rg, pg)
        mark = ("✔ flat" if flat else "✘ grows") if must else ("flat" if flat else "linear")
        what = f" ({must})" if must else ""
        w(f"| `{name}::{call}` | `{comp}`{what} | {lo}..{hi} | {rs / 1e6:.3f} | {ps:.0f} | "
          f"{rg:+.1%} / {pg:+.1%} | {mark} |")

    w("\n## Targets\n")
    anchor = rows.get(("pallet_ehr_records", "anchor_record", "-"))
    batch = rows.get(("pallet_ehr_records", "anchor_batch", "-"))
    leaves = 1 << 20
    targets = []
    if anchor:
        _, _, a_ref, a_proof, a_all = anchor
        live = next((r for r in load["results"] if r["kind"] == "anchor_record"), None)
        live_text = ""
        if live and live["blocks"]:
            live_text = f"; the live node included {fmt_int(median_per_block(live))} per full block"
        targets.append((f"≥ {fmt_int(MIN_ANCHORS_PER_BLOCK)} `anchor_record` per block, by both limits",
                        f"{fmt_int(a_ref)} by ref time, {fmt_int(a_proof)} by worst-case proof"
                        f"{live_text}",
                        a_all >= MIN_ANCHORS_PER_BLOCK,
                        f"{a_all / MIN_ANCHORS_PER_BLOCK:.0%} of the target"))
    if batch:
        _, _, b_ref, b_proof, b_all = batch
        docs = b_all * leaves
        targets.append((f"≥ {fmt_int(MIN_BATCH_DOCS_PER_BLOCK)} documents per block through `anchor_batch`",
                        f"{fmt_int(b_all)} batches of up to {fmt_int(leaves)} documents = "
                        f"{fmt_int(docs)} documents",
                        docs >= MIN_BATCH_DOCS_PER_BLOCK, ""))
    calls_total = len(rows)
    within = [k for k, v in rows.items()
              if v[0] / t_ref <= MAX_REF_RATIO and v[1] / t_proof <= MAX_PROOF_RATIO]
    targets.append((f"every EHR call ≤ {MAX_REF_RATIO}× ref time and ≤ {MAX_PROOF_RATIO}× proof",
                    f"{len(within)} of {calls_total} rows within both", len(within) == calls_total,
                    "see below"))
    for (name, call, comp), (flat, rg, pg) in flat_results.items():
        targets.append((f"`{call}` flat in `{comp}`", f"whole range adds {rg:+.1%} ref time, "
                        f"{pg:+.1%} proof", flat, ""))
    load_results = {r["kind"]: r for r in load["results"]}
    for kind, r in load_results.items():
        if kind == "transfer_keep_alive":
            continue
        ratio = r.get("ratioToTransfer") or 0.0
        targets.append((f"live load: `{kind}` ≥ {MIN_LOAD_RATIO}× transfers",
                        f"{r['sustainedOpsPerSecond']:.1f} ops/s sustained = {ratio:.2f}×",
                        ratio >= MIN_LOAD_RATIO,
                        f"{ratio / MIN_LOAD_RATIO:.0%} of the target"))
    w("| Target | Measured | Met? |")
    w("|---|---|:---:|")
    for what, measured, met, note in targets:
        w(f"| {what} | {measured} | {'✔' if met else '✘ ' + note} |")

    w("\n### Where a call misses, and why\n")
    w("The weight of a call is its own execution plus its database accesses. With the SDK's "
      "default RocksDB weights a write costs 100 µs, more than half of the whole transfer (1 read and 1 "
      "write, the caller's account being whitelisted). So the ref-time ratio is decided mostly by "
      "how many storage items a call writes; the list below is each missing call's accesses as "
      "the benchmark recorded them.\n")
    for name, call, comps, rr, pr, reads, writes, ref, model in misses:
        db = (reads * READ_PS + writes * WRITE_PS) / ref
        items = ", ".join(f"`{s}` {'r' * min(r, 1)}{r if r > 1 else ''}{'/' if r and wr else ''}"
                          f"{'w' * min(wr, 1)}{wr if wr > 1 else ''}"
                          for s, r, wr in model["storage"])
        over = lambda ratio, target: (f"{ratio / target - 1:+.0%} over the target"
                                      if ratio > target else "within the target")
        per_unit = ""
        if model["ranges"]:
            units = [(comp, rs, ps) for (n2, c2, comp, _, _, rs, ps, _, _) in slopes
                     if (n2, c2) == (name, call)]
            per_unit = "".join(
                f" Each unit of `{c}` adds {rs / t_ref:.2f}× and {ps / t_proof:.2f}× of a "
                f"transfer: the call does a bounded batch of work, priced per item."
                for c, rs, ps in units)
        w(f"- `{name}::{call}` ({comps}): {rr:.2f}× ref time ({over(rr, MAX_REF_RATIO)}), "
          f"{pr:.2f}× proof ({over(pr, MAX_PROOF_RATIO)}); {reads} reads and {writes} writes "
          f"are {db:.0%} of its ref time: {items}.{per_unit}")

    w("\n## Issue 18: against the chains it is compared with\n")
    w("Each figure is a ratio to the chain's own `transfer_keep_alive` (ref time) from its own "
      "generated weights, so benchmark machines cancel out, with the SDK's default RocksDB "
      "weights (read 25 µs, write 100 µs) as all of them use. This chain's calls that run the "
      "consent check include its worst case: their benchmarks reach it (an `ETREAT` request, "
      "the provider's ended emergency window, full grant lists to the provider and its "
      "organisation, the permitting grant last), and their dispatch weight is that benchmark's. "
      "Writes are the storage items the benchmark recorded as written. The last column is "
      "this chain's ratio with its measured database weights; the "
      "compared chains' own measured figures are not comparable (each measured its own "
      "database on its own machine), so the targets are judged with the defaults.\n")
    w("| Call doing comparable work | Ratio to its chain's own transfer (ref time, SDK DB) | Items written | Measured DB |")
    w("|---|---:|---:|---:|")
    for what, ratio, writes in COMPARED:
        w(f"| {what} | {ratio} | {writes if writes is not None else '-'} | - |")
    models = {(name, call): model for name, _, calls in pallets for call, model in calls.items()}
    check = models.get(("pallet_ehr_consent", "check_access"))
    check_max = {c: hi for c, (_, hi) in check["ranges"].items()} if check else {}
    c_ref, c_proof, c_reads, _ = evaluate(check, check_max) if check else (0, 0, 0, 0)
    results18 = []
    for name, call, comps, with_check, target, max_writes in TARGETS_18:
        model = models.get((name, call))
        if model is None:
            continue
        values = {c: hi for c, (_, hi) in model["ranges"].items()} if comps == "max" else {}
        ref, proof, reads, writes = evaluate(model, values)
        m_ref = evaluate(model, values, mdb)[0]
        if with_check:
            ref, proof, reads = ref + c_ref, proof + c_proof, reads + c_reads
        results18.append((name, call, ref / t_ref, proof / t_proof, reads, writes, target, max_writes,
                          with_check, m_ref / tm_ref))
        w(f"| this chain `{call}`{' + check' if with_check else ''} | {ref / t_ref:.2f}× | {writes} "
          f"| {m_ref / tm_ref:.2f}× |")
    w("\n| Target | Measured | Met? |")
    w("|---|---|:---:|")
    for name, call, rr, pr, reads, writes, target, max_writes, with_check, mr in results18:
        w(f"| `{call}` ≤ {target}× ref time | {rr:.2f}× (measured DB: {mr:.2f}×) | "
          f"{'✔' if rr <= target else f'✘ {rr / target - 1:+.0%}'} |")
        w(f"| `{call}` proof ≤ {MAX_PROOF_RATIO_18}× | {pr:.2f}× (worst case, before reclaim) | "
          f"{'✔' if pr <= MAX_PROOF_RATIO_18 else f'✘ {pr / MAX_PROOF_RATIO_18 - 1:+.0%}'} |")
        if max_writes is not None:
            w(f"| `{call}` writes ≤ {max_writes} | {writes} | "
              f"{'✔' if writes <= max_writes else f'✘ {writes - max_writes} more'} |")

    # The bulk calls: how many items a block takes through them, full calls of the runtime's
    # bound each, the transaction's base and extensions paid once per call. A call is weighed
    # by its items (`n`), each at the worst case of another patient.
    consts = (ROOT / "runtime/src/configs/ehr.rs").read_text()
    w("\n| Bulk target | Shape of each call | Measured (items per block) | Met? |")
    w("|---|---|---|:---:|")
    for call, const, target in [("anchor_records", "MAX_BULK_ANCHORS", MIN_BULK_ANCHORS_PER_BLOCK),
                                ("record_accesses", "MAX_BULK_ACCESSES", MIN_BULK_ACCESSES_PER_BLOCK)]:
        model = models.get(("pallet_ehr_records", call))
        bound = re.search(rf"pub const {const}: u32 = ([\d_]+);", consts)
        if model is None or bound is None:
            w(f"| ≥ {fmt_int(target)} items per block through `{call}` | - | not built | ✘ |")
            continue
        bound = int(bound.group(1).replace("_", ""))
        counts = []
        for limit_key, pick, base in [("refTime", 0, int(normal["baseExtrinsic"]["refTime"]) + ext_ref),
                                      ("proofSize", 1, int(normal["baseExtrinsic"]["proofSize"]) + ext_proof)]:
            room = int(normal["maxTotal"][limit_key])
            full = evaluate(model, {"n": bound}, rdb)[pick] + base
            calls = room // full
            left = room - calls * full
            extra = 0
            while extra < bound and evaluate(model, {"n": extra + 1}, rdb)[pick] + base <= left:
                extra += 1
            counts.append(calls * bound + extra)
        items = min(counts)
        per_item = evaluate(model, {"n": bound})[0] / bound
        m_per_item = evaluate(model, {"n": bound}, mdb)[0] / bound
        proof_item = evaluate(model, {"n": bound})[1] / bound
        w(f"| ≥ {fmt_int(target)} items per block through `{call}` ({bound} per call) | "
          f"every item another patient (the worst case) | {fmt_int(counts[0])} by ref time, "
          f"{fmt_int(counts[1])} by worst-case proof; {per_item / t_ref:.2f}× a transfer per "
          f"item ({m_per_item / tm_ref:.2f}× measured DB), {fmt_int(round(proof_item))} bytes "
          f"of proof per item | "
          f"{'✔' if items >= target else f'✘ {items / target:.0%} of the target'} |")
    w("\nWhy the misses remain (reads and writes as above; at the RocksDB constants a read is "
      "25 µs and a write 100 µs, so the item count decides the ratio):\n")
    w("- **Every audited call writes two audit items**, the trail head (`EhrAudit::Trails`: "
      "count and hash-chain head) and the entry (`EhrAudit::Entries`). That is the floor while "
      "entries stay in state where a patient's app and the runtime API read them back: entries "
      "kept in pages with the head would still write two items whenever a page fills (the "
      "worst case a weight must charge), and a page read would add its whole size to each "
      "call's proof. Keeping only the head on chain and the entries in events or the "
      "off-chain index would make it one write, at the price of every reader needing an "
      "archive or indexing node; not done. `revoke_consent` is the grant list plus these two: "
      "3 writes, 1 over its target of 2, and 3 × 100 µs of its ref time.")
    w("- **The consent check's worst case is now inside** `anchor_record`, `amend_record` and "
      "`record_access`: an `ETREAT` request reads the provider's emergency window and both "
      "grant lists besides the patient and the provider's accreditation and organisation. The "
      "proofs (1.9× a transfer's) are the benchmark's `MaxEncodedLen` estimate, about 2.5 kB "
      "per distinct item read; `cumulus-pallet-weight-reclaim` refunds what a block did not "
      "actually use.")
    w("- **`check_access`** reads six items (patient, accreditation, organisation, emergency "
      "window, two grant lists): 150 µs of database weight against a transfer's 125 µs, before "
      "any execution.")
    w("- **The bulk calls are bounded by proof size when every item is another patient's**: "
      "each such item reads its own patient, record, two grant lists, emergency window and "
      "trail head, each charged at its `MaxEncodedLen` estimate, so a block's `Normal` proof "
      "takes about 1,350 of them whatever their ref time. The real proof in a large trie is "
      "smaller and reclaimed after execution, but a weight must charge the estimate before it. "
      "Items of the same patient share most of it: a further item of a patient already named "
      "reads that patient's items from the block's overlay and adds only its own record and "
      "audit entry. The weight does not count on that yet. Weighing a call by its distinct "
      "patients and further items, benchmarked as two components, was built and measured "
      "(2026-12-03) but not landed: the fitted plane had an intercept of 2.1 ms (the "
      "one-component fit: 0.1 ms) and predicted 5.2 ms for 50 patients where the "
      "one-component benchmark measured 3.2 ms: the cost is not linear in the two counts "
      "(an interaction between them, not yet explained), and charging that plane would have "
      "made a small bulk call cost more than the single calls it replaces (branch "
      "`bulk-groups`).")
    w(f"- **With the measured database weights** (read {mdb[0] / 1e6:.1f} µs, write "
      f"{mdb[1] / 1e6:.1f} µs against the defaults' {READ_PS / 1e6:.0f} and "
      f"{WRITE_PS / 1e6:.0f}) reads weigh {'more' if mdb[0] > READ_PS else 'less'} and writes "
      f"{'more' if mdb[1] > WRITE_PS else 'less'} than the targets assume: a call that reads "
      "many items (the consent check reads six) moves against the transfer, which reads one; "
      "the *measured DB* columns above show by how much. They would change the ref time a "
      "block charges, not the proof." + ("" if wired else " Not in use yet (see *Database "
      "weights*)."))
    w("\n### State growth\n")
    w("Bytes of state each item adds at most (`max_size` as the benchmarks report it: key and "
      "value, `MaxEncodedLen`; a trie adds about 50–100 bytes of branch nodes per leaf on top, "
      "not counted here):\n")
    sizes = {k: MAX_SIZES.get(k) for k in
             ["EhrRecords::Records", "EhrRecords::Tombstones", "EhrAudit::Entries",
              "EhrConsent::Grants"]}
    w("| Item | Bytes |")
    w("|---|---:|")
    for k, v in sizes.items():
        if v is not None:
            w(f"| `{k}` | {fmt_int(v)} |")
    record = sizes.get("EhrRecords::Records") or 0
    entry = sizes.get("EhrAudit::Entries") or 0
    # `Grants` holds up to MAX_GRANTS_PER_GRANTEE grants under one key (Blake2_128Concat of a
    # 32-byte patient id and of a 33-byte grantee, and the list's length byte): a grant adds its
    # share of the value, and the whole key when it is its grantee's first.
    grants_item = sizes.get("EhrConsent::Grants") or 0
    grant = (grants_item - GRANTS_KEY_BYTES) / MAX_GRANTS_PER_GRANTEE + GRANTS_KEY_BYTES
    days = RETENTION_DAYS
    audit_b = READS_PER_DAY * days * entry
    # Each anchor and each grant also leaves an audit entry.
    records_b = RECORDS_PER_DAY * days * (record + entry)
    grants_b = GRANTS_PER_DAY * days * (grant + entry)
    total = audit_b + records_b + grants_b
    w(f"\nProjection for a consortium of 20 hospitals over the {days}-day retention: "
      f"{fmt_int(READS_PER_DAY)} cross-organisation reads a day (each an audit entry), and, as "
      f"assumptions, {fmt_int(RECORDS_PER_DAY)} documents anchored and {fmt_int(GRANTS_PER_DAY)} "
      "grants made a day (each with its audit entry; a grant counted with a whole key of its "
      "own, an upper bound). Audit entries older than the retention can be pruned "
      "(`prune_trail`), so the audit part is the steady state; records and grants stay until "
      "erased or reaped.\n")
    w("| Part | Items | Bytes (upper bound) |")
    w("|---|---:|---:|")
    w(f"| audit entries of reads | {fmt_int(READS_PER_DAY * days)} | {audit_b / 1e9:,.0f} GB |")
    w(f"| records (+ their audit entries) | {fmt_int(RECORDS_PER_DAY * days)} | {records_b / 1e9:,.0f} GB |")
    w(f"| grants (+ their audit entries) | {fmt_int(GRANTS_PER_DAY * days)} | {grants_b / 1e9:,.0f} GB |")
    w(f"| total | | {total / 1e9:,.0f} GB |")
    w("\nThe reads dominate: a declared read is one audit entry, the trail being what a patient "
      "and an auditor must be able to read back for six years. An entry is 164 bytes at most "
      "because it carries its own actor, organisation, time and purpose. A bulk declaration "
      "(`record_accesses`) writes the same full entry for each of its accesses, so that each "
      "entry stands on its own in the patient's trail and its hash chain; sharing the actor and "
      "time across one declaration's entries would save state but make an entry unreadable "
      "without its declaration, and is not done.")

    stability_path = ROOT / "docs/perf/stability.json"
    if stability_path.exists():
        stab = json.loads(stability_path.read_text())
        w("\n### How stable the ratios are\n")
        w(f"`scripts/bench-stability.sh` ran the reference and four EHR calls {stab['rounds']} "
          f"times on this machine ({stab['repeat']} repeats each), every run a fresh "
          "`ehr-node benchmark pallet` process over the same runtime, alternating which went "
          "first. *Exec* is the benchmark's measured execution time (its intercept); the weight "
          "adds the database accesses at the fixed `DbWeight` constants.\n")
        calls18 = [c for c in ["anchor_record", "amend_record", "grant_consent", "revoke_consent"]
                   if all(c in r["calls"] for r in stab["runs"])]
        w("| Run | first | `transfer_keep_alive` exec (µs) | weight (µs) | "
          + " | ".join(f"`{c}` exec (µs) / ×" for c in calls18) + " |")
        w("|---:|---|---:|---:|" + "---:|" * len(calls18))
        def total(c):
            return c["execPs"] + c["reads"] * READ_PS + c["writes"] * WRITE_PS
        ratios = {c: [] for c in calls18}
        texecs = []
        for r in stab["runs"]:
            t = r["calls"]["transfer_keep_alive"]
            texecs.append(t["execPs"])
            cells = []
            for c in calls18:
                ratio = total(r["calls"][c]) / total(t)
                ratios[c].append(ratio)
                cells.append(f"{r['calls'][c]['execPs'] / 1e6:.1f} / {ratio:.2f}×")
            w(f"| {r['round']} | {'reference' if r['referenceFirst'] else 'EHR'} | "
              f"{t['execPs'] / 1e6:.1f} | {total(t) / 1e6:.1f} | " + " | ".join(cells) + " |")
        spread = ", ".join(f"`{c}` {min(v):.2f}–{max(v):.2f}× ({(max(v) / min(v) - 1):.0%})"
                           for c, v in ratios.items())
        w(f"\nSpread over the runs: {spread}; the reference's execution time "
          f"{min(texecs) / 1e6:.1f}–{max(texecs) / 1e6:.1f} µs.\n")
        # The median run's spread: one disturbed run (another process on the machine during
        # its first benchmark, say) shows as an outlier, said as such rather than hidden.
        worst = max((max(v) / min(v) - 1) for v in ratios.values())
        typical = max(sorted(v)[len(v) // 2] / min(v) - 1 for v in ratios.values())
        w(f"On one machine most runs agree to within {typical:.0%} of the lowest, whichever "
          f"benchmark runs first; the widest spread in this series is {worst:.0%}, from single "
          "runs whose execution time stands out from the others (a busy machine during that "
          "run); each weight is fitted over 20 repeats of every step. Between machines they are not, and the reason is in how a weight is made: "
          "*measured execution* plus *database accesses priced at fixed constants* (25 µs a read, "
          "100 µs a write, on any machine). `transfer_keep_alive` is 1 read and 1 write (125 µs) "
          "and little execution (about 58 µs here), while an EHR call is mostly database "
          "constants. An amount of execution added on another machine therefore moves the "
          "transfer's weight by a large share and an EHR call's by a small one, and every ratio "
          "falls. The issue's two measurements fit exactly that: the second machine added 87 µs "
          "to the transfer (251.8 instead of 164.6 µs: 126.8 µs of execution instead of 39.6) "
          "and 90 µs to `anchor_record` (4.83 × 251.8 = 1,216 µs against 6.84 × 164.6 = "
          "1,126 µs), about the same constant on both, not a proportional slowdown; a constant "
          "per benchmark (the machine's per-call overhead of entering the runtime, say) moved "
          "the ratio from 6.84× to 4.83×. What does not move is each call's reads and writes: "
          "that is why the targets are also stated as writes, and why CI checks reads and "
          "writes, not times. The measured database weights (*Database weights* above) price "
          "reads and writes on the same machine as the execution; the ratios in this section "
          "use the SDK's constants, as the issue's figures do.")

    w("\n## Live load test\n")
    w(f"`scripts/load-test.sh` starts `ehr-node --dev` (one collator, a block every "
      f"{load['blockIntervalMs'] / 1000:.1f} s as measured), funds {3 * load['accounts']} accounts, "
      f"accredits {load['accounts']} providers and registers {load['accounts']} patients, then for "
      f"each kind pre-signs {fmt_int(load['n'])} extrinsics from {load['accounts']} accounts and "
      "submits them all at once over one WebSocket. It follows every block and matches each "
      "extrinsic by hash: each must be included (and succeed) or be rejected with the node's "
      "reason; anything else is lost and fails the run. *Sustained* throughput is the median "
      "block's inclusions divided by the block interval: it is what the chain keeps up under "
      "load, and the ratios use it. *End to end* is every inclusion over the time from the "
      "first submission to the block with the last one, which also counts where in a block "
      "interval the submission happened to start. Latency is from submission to the import of "
      "the block. The node seals a block every 6 s (`--dev-block-time 6000`, the parachain's "
      "own pace) and runs with a larger transaction pool (`--pool-limit 131072`: 131,072 ready "
      "and 13,107 future transactions, against the default 8,192 and 819), because the test "
      "submits 12,000 at once.\n")
    w("**Transactions the node loses.** At `--dev`'s 3-second blocks this test lost thousands "
      "of accepted transactions (3,157 of 12,000 transfers and 4,446 of 12,000 grants in one "
      "run on 2026-12-03; 677 anchors and 5,275 grants in two runs the day before, and the "
      "issue's fresh-machine run 3,710 transfers with the SDK's database weights), and the "
      "node's transaction-pool log (`-ltxpool=debug`) shows how. After each block of the burst "
      "the fork-aware pool's upkeep (pruning what the block included, checking the rest "
      "against the new state, re-submitting it to the new block's view) took 2.9–4.6 s. The "
      "next block's proposer waits about 1.1 s for the view of its parent, then takes the "
      "ready transactions of an older view; their first ones were already in the parent "
      "(`InvalidTransaction::Stale`), the proposer reports them, and the pool removes each "
      "reported transaction *with its dependent subtree*, every later nonce of its sender, "
      "from that view (`report_invalid` in `sc-transaction-pool`'s `view_store.rs`; the "
      "behaviour paritytech/substrate#5139 describes). Three blocks in a row proposed nothing "
      "(200 transactions reported, one per sender, then none ready), and 2,158 transfers then "
      "sat in the future queue for good, their predecessors gone. The follower was not at "
      "fault: it reads every block by number, and the lost transactions are in no block.\n")
    w("With 6-second blocks (the parachain's pace) the upkeep finishes before the next "
      "proposal and no proposer reports stale transactions. On a quiet machine two runs in a "
      "row (2026-12-03, the second is the one below) lost nothing: 48,000 of 48,000 included. "
      "One earlier run at 6 s that shared the machine's two cores with a compiler lost 539 "
      "anchors: 245 left the pool's mempool between two upkeeps without being reported "
      "invalid, dropped or included (the pool's debug log shows the mempool 245 shorter and no "
      "removal), and their senders' later nonces waited in the future queue until the run gave "
      "up. Which of the pool's paths removed them is not found; it did not recur without the "
      "compiler. Sending each sender's transactions 16 at a time instead of all at once lost "
      "more (1,895 grants), not fewer. A chain's collators should keep the SDK's default pool "
      "unless they expect bursts like this one; the network's collators run with a larger one "
      "(`network/zombienet.toml`).\n")
    load_tables(w, load, chart)
    network_path = ROOT / "docs/perf/load-test-network.json"
    if network_path.exists():
        net = json.loads(network_path.read_text())
        net_chart = (ROOT / "docs/perf/load-test-network.txt").read_text().rstrip()
        w("\n## Live load test on the relay-chain network\n")
        w("`scripts/load-test.sh --network` runs the same test on the local network of "
          "`scripts/network.sh`, started by zombienet: two relay-chain validators (`ehr-relay`), "
          "the parachain's collators charlie and dave authoring in turn with real collation, "
          "backing and inclusion on the relay chain, a full node and a third collator beside "
          f"them, all on this one 2-core machine. It pre-signs {fmt_int(net['n'])} extrinsics "
          f"of each kind from {net['accounts']} accounts, submits them to charlie, and counts "
          "an extrinsic included only in a *finalized* block (a block at a given number may "
          "still be replaced by another collator's fork): latencies are to finality. Block "
          f"interval as measured between finalized heads: {net['blockIntervalMs'] / 1000:.1f} s. "
          "Build times come from both collators' logs, matched to the finalized block.\n")
        rows = [b for r in net["results"] for b in r["blocks"]]
        deadline = sum(1 for b in rows if b.get("end") == "HitDeadline")
        rotation = sum(1 for b in rows if b.get("end") == "HitBlockWeightLimit"
                       and b.get("extrinsics") == 2)
        w(f"What shapes the chart: {deadline} of {len(rows)} blocks ended at the collator's "
          "authoring deadline (`HitDeadline`, about 2 s of the 6-s slot) before the weight limit: "
          "six nodes share this machine's two cores, so execution is slower than on the "
          "development node, and those blocks hold fewer extrinsics than the weight allows. "
          + (f"{rotation} block{'s' if rotation != 1 else ''} held none at all, ending with "
             "`HitBlockWeightLimit` and only the two inherents: a session rotation, for which "
             "`pallet-session` charges the whole block (`on_initialize` returns `max_block`). "
             "The test network's session is 10 blocks (`network/consortium.toml`), so one block "
             "in ten carries no transactions there; at the runtime's default session of an hour "
             "it is one in 600." if rotation else "")
          + (f" {net['node']['note']}" if net.get("node", {}).get("note") else "") + "\n")
        load_tables(w, net, net_chart)
    return "\n".join(out) + "\n"


def load_tables(w, load, chart):
    """The tables and chart of one load-test run."""
    w("| Call | Submitted | Included (ok) | Rejected | Lost | Blocks | Median per block | Sustained ops/s | × transfers | End to end: s, ops/s, × | Latency p50 / p95 / max (ms) | Node's weight: call / with extensions (µs) |")
    w("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in load["results"]:
        rejected = ", ".join(f"{k}: {v}" for k, v in r["rejected"].items()) or "0"
        lat = r["latencyMs"]
        median = median_per_block(r)
        w(f"| `{r['kind']}` | {fmt_int(r['submitted'])} | {fmt_int(r['included'])} "
          f"({fmt_int(r['succeeded'])}) | {rejected} | {r['lost']} | {len(r['blocks'])} | "
          f"{fmt_int(median)} | {r['sustainedOpsPerSecond']:.1f} | {r['ratioToTransfer']:.2f} | "
          f"{r['seconds']:.1f} s, {r['opsPerSecond']:.1f}, {r['endToEndRatioToTransfer']:.2f} | "
          f"{lat['p50']} / {lat['p95']} / {lat['max']} | "
          f"{int(r['runtimeWeight']['call']['refTime']) / 1e6:.1f} / "
          f"{int(r['runtimeWeight']['withExtensions']['refTime']) / 1e6:.1f} |")
    w("\n### Charged weight against the node's block-building time\n")
    w("For every block of a kind with at least 100 extrinsics, the node's own log gives the time "
      "it took to build it (`Prepared block for proposing … (N ms)`: applying every extrinsic and "
      "finalising the block) and how many extrinsics it holds; divided, that is the measured "
      "cost of one extrinsic, fixed block costs included. The charged weight is what the node "
      "reports for one such extrinsic (`queryInfo`: the call, `base_extrinsic` and the "
      "extensions). Target: charged within 1.5× of measured, either way.\n")
    w("| Call | Blocks | Measured per extrinsic, median (µs) | min–max (µs) | Charged (µs) | Charged ÷ measured | Within 1.5×? |")
    w("|---|---:|---:|---:|---:|---:|:---:|")
    over, under = [], []
    for r in load["results"]:
        per = sorted(b["buildMs"] * 1000 / b["extrinsics"] for b in r["blocks"]
                     if b.get("buildMs") is not None and b.get("extrinsics", 0) >= 100)
        if not per:
            w(f"| `{r['kind']}` | 0 | - | - | - | - | - |")
            continue
        median = per[len(per) // 2]
        charged = int(r["runtimeWeight"]["withExtensions"]["refTime"]) / 1e6
        ratio = charged / median
        ok = 1 / 1.5 <= ratio <= 1.5
        if ratio > 1.5:
            over.append(f"`{r['kind']}` ({ratio:.2f}×)")
        elif not ok:
            under.append(f"`{r['kind']}` ({ratio:.2f}×)")
        w(f"| `{r['kind']}` | {len(per)} | {median:.0f} | {per[0]:.0f}–{per[-1]:.0f} | {charged:.0f} | "
          f"{ratio:.2f}× | {'✔' if ok else '✘'} |")
    if over:
        db_mb = json.loads((ROOT / "docs/perf/storage.json").read_text())["db_bytes"] / 1e6
        w(f"\nCharged more than 1.5× what building took: {', '.join(over)}. This is the safe "
          "direction, and most of it is the database: the weights price every read and write as "
          f"`EhrDbWeight` measured them, cold, over a {db_mb:,.0f} MB database without the trie cache "
          "(*Database weights*), while this node builds its blocks on a development chain's "
          "state of a few megabytes that its cache holds. A transfer touches two accounts; an "
          "EHR call reads six to eight items and writes four, so the gap grows with the "
          "database accesses. On a consortium's database after years, larger than memory, "
          "the same blocks take longer and the gap narrows; charging the hot-cache times "
          "instead would under-charge that chain.")
    if under:
        w(f"\nCharged less than 1/1.5 of what building took: {', '.join(under)}: a block of "
          "these takes longer to build than the node is charged for, the unsafe direction."
          + (" Here the building times are wall-clock times of collators that shared two cores "
             "with four other nodes (relay validators checking candidates, a full node, a "
             "third collator): blocks that ended at the authoring deadline took about 2 s "
             "whatever they held, so they measure the machine's contention as much as the "
             "runtime. The development node's run, alone on the machine, is the measurement "
             "of the weights; this one shows that the network kept up with no transaction lost."
             if any(b.get("end") == "HitDeadline" for r in load["results"] for b in r["blocks"])
             else ""))
    consumed = {}
    for r in load["results"]:
        rows = [b for b in r["blocks"] if b.get("normal") and b["count"] >= 100]
        if rows:
            consumed[r["kind"]] = (
                len(rows),
                sorted(int(b["normal"]["proofSize"]) / b["count"] for b in rows)[len(rows) // 2],
                sorted(int(b["normal"]["refTime"]) / b["count"] for b in rows)[len(rows) // 2],
                int(r["runtimeWeight"]["withExtensions"]["proofSize"]))
    if consumed:
        w("\n### What the blocks really consumed\n")
        w("`System::BlockWeight` at the end of each block with at least 100 extrinsics of a kind: "
          "what its `Normal` extrinsics consumed after every refund, and the proof after "
          "`StorageWeightReclaim` gave back what the node did not record. Divided by the "
          "block's extrinsics (median over the blocks), beside the worst case charged before "
          "execution. A node that records no proof while building (the development node) "
          "reclaims nothing, and consumed equals charged.\n")
        t_proof_live = consumed.get("transfer_keep_alive", (0, 0, 0, 0))[1]
        w("| Call | Blocks | Proof per extrinsic after reclaim (bytes) | × transfer | Charged before execution (bytes) | Ref time per extrinsic consumed (µs) |")
        w("|---|---:|---:|---:|---:|---:|")
        for kind, (blocks, proof, ref, charged) in consumed.items():
            ratio = f"{proof / t_proof_live:.2f}" if t_proof_live else "-"
            w(f"| `{kind}` | {blocks} | {proof:,.0f} | {ratio} | {charged:,} | {ref / 1e6:.1f} |")
    w("\nInclusions per block (one `#` row per block, the same scale for every call):\n")
    w("```text")
    w(chart)
    w("```")
    w(f"\nRun: {load.get('node', {}).get('date', '?')}, node arguments "
      f"`{' '.join(load.get('node', {}).get('args', []))}`."
      + (f" {load['node']['note']}" if load.get("node", {}).get("note") else ""))


def storage_profile(path):
    """{call: (storage accesses, database terms)} of a weight file: what a benchmark recorded of
    the items it read and wrote (`Storage:` lines, worst case over its components) and the
    `reads`/`writes` terms of the weight, constant and per component. Unlike times, these do
    not depend on the machine or the number of steps: a difference means the code changed."""
    _, _, calls = parse(path)
    return {call: (sorted(model["storage"]), sorted(model["db"], key=str))
            for call, model in calls.items()}


def compare_weights(committed_root):
    """Compares the weight files under ROOT (fresh) with those under `committed_root`."""
    problems = []
    for pallet in PALLETS:
        fresh = storage_profile(ROOT / f"pallets/{pallet}/src/weights.rs")
        committed = storage_profile(Path(committed_root) / f"pallets/{pallet}/src/weights.rs")
        for call in sorted(set(fresh) | set(committed)):
            if call not in committed:
                problems.append(f"pallet_ehr_{pallet}::{call}: benchmarked but not in the committed weights")
            elif call not in fresh:
                problems.append(f"pallet_ehr_{pallet}::{call}: in the committed weights but no longer benchmarked")
            elif fresh[call] != committed[call]:
                (fs, fd), (cs, cd) = fresh[call], committed[call]
                detail = []
                for item in sorted(set(fs) ^ set(cs)):
                    detail.append(("now " if item in fs else "was ") + f"{item[0]} r:{item[1]} w:{item[2]}")
                if fd != cd:
                    detail.append(f"database terms now {fd}, committed {cd}")
                problems.append(f"pallet_ehr_{pallet}::{call}: " + "; ".join(detail))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--compare-weights", metavar="COMMITTED_ROOT")
    parser.add_argument("--out", default=str(ROOT / "docs/PERFORMANCE.md"))
    args = parser.parse_args()
    if args.compare_weights:
        problems = compare_weights(args.compare_weights)
        if problems:
            print("stale weights: the benchmarks now read and write storage differently from the "
                  "committed weight files; rerun scripts/benchmark.sh and commit its output:", file=sys.stderr)
            for problem in problems:
                print(f"  {problem}", file=sys.stderr)
            sys.exit(1)
        print(f"weights match the code: every call's storage reads and writes as committed "
              f"({len(PALLETS)} pallets)", file=sys.stderr)
        return
    text = generate()
    out = Path(args.out)
    if args.check:
        if not out.exists() or out.read_text() != text:
            sys.exit(f"{out} is out of date: run scripts/perf_report.py")
        return
    out.write_text(text)


if __name__ == "__main__":
    main()
