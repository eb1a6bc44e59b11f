#!/usr/bin/env python3
"""Builds a consortium's chain spec (plain and raw) from a small TOML config.

Usage:
    scripts/consortium-spec.py CONFIG.toml [--out DIR] [--node PATH] [--runtime WASM] [--check]

The config names the member organisations (admin and council accounts), the collators and their
Aura keys, the para id, the relay chain, boot nodes, token properties and endowments; see
scripts/consortium.example.toml. The script validates it (an unknown field, a malformed account,
no collators, duplicate members... each get a precise message and exit code 2), turns it into a
genesis patch over the runtime's default genesis, and has polkadot-sdk's chain-spec builder (the
`chain-spec-builder` subcommand of `ehr-node`) write the spec:

    DIR/<id>.plain.json   human-readable genesis, for review by the members
    DIR/<id>.raw.json     the spec collators start from (`ehr-node --chain DIR/<id>.raw.json`)
    DIR/<id>.patch.json   the genesis patch that was applied

The runtime is the one built into `ehr-node` (exported with `export-genesis-wasm`) unless
--runtime gives a WASM file. The spec has no sudo key unless the config sets `chain.sudo`.
--check only validates the config and prints the patch.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runtime facts the config must agree with (runtime/src/constants.rs).
RUNTIME_SS58_PREFIX = 42
RUNTIME_TOKEN_DECIMALS = 12
EXISTENTIAL_DEPOSIT = 10**9  # constants::currency::EXISTENTIAL_DEPOSIT, in planck
MAX_COUNCIL = 64  # configs::governance::MAX_MEMBERS
MAX_COLLATORS = 32  # configs::governance::MAX_COLLATORS
MIN_SESSION_LENGTH = 10  # configs::governance::MIN_SESSION_PERIOD
MAX_SESSION_LENGTH = 7 * 14_400  # configs::governance::MAX_SESSION_PERIOD (a week of 6 s blocks)
U128_MAX = 2**128 - 1

SCHEMA = {
    "chain": {"name", "id", "para_id", "relay_chain", "boot_nodes", "sudo", "session_length"},
    "token": {"symbol", "decimals", "ss58_format"},
    "organisations": {"name", "admin", "council"},
    "collators": {"account", "aura", "name"},
    "endowments": {"account", "balance"},
}
REQUIRED = {
    "chain": {"name", "id", "para_id", "relay_chain"},
    "organisations": {"admin"},
    "collators": {"account", "aura"},
    "endowments": {"account", "balance"},
}


class ConfigError(Exception):
    """A problem with the config, reported as `error: <where>: <what>`."""


# --- SS58 (https://docs.substrate.io/reference/address-formats/) ---------------------------------

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(s):
    n = 0
    for c in s:
        i = B58.find(c)
        if i < 0:
            raise ValueError(f"'{c}' is not a base58 character")
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\0" * pad + body


def b58encode(b):
    n = int.from_bytes(b, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    pad = len(b) - len(b.lstrip(b"\0"))
    return "1" * pad + out


def ss58_checksum(data):
    return hashlib.blake2b(b"SS58PRE" + data, digest_size=64).digest()[:2]


def ss58_decode(address):
    """The 32-byte public key of an SS58 address; raises ValueError with the reason."""
    raw = b58decode(address)
    if len(raw) < 3:
        raise ValueError("too short")
    prefix_len = 1 if raw[0] < 64 else 2
    if len(raw) != prefix_len + 32 + 2:
        raise ValueError(f"decodes to {len(raw) - prefix_len - 2} bytes, not a 32-byte account")
    if ss58_checksum(raw[:-2]) != raw[-2:]:
        raise ValueError("bad checksum")
    return raw[prefix_len:-2]


def ss58_encode(public, prefix=RUNTIME_SS58_PREFIX):
    data = bytes([prefix]) + public
    return b58encode(data + ss58_checksum(data))


def public_key(value, where):
    """Parses an SS58 address or 0x-hex 32-byte key into its 32 bytes."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected an SS58 address or 0x-prefixed hex key, got {value!r}")
    if value.startswith("0x"):
        try:
            key = bytes.fromhex(value[2:])
        except ValueError:
            raise ConfigError(f"{where}: malformed hex key {value!r}") from None
        if len(key) != 32:
            raise ConfigError(f"{where}: hex key {value!r} is {len(key)} bytes, expected 32")
        return key
    try:
        return ss58_decode(value)
    except ValueError as e:
        raise ConfigError(f"{where}: malformed account {value!r}: {e}") from None


# --- Validation ----------------------------------------------------------------------------------


def check_fields(table, name, where):
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    unknown = sorted(set(table) - SCHEMA[name])
    if unknown:
        allowed = ", ".join(sorted(SCHEMA[name]))
        raise ConfigError(f"{where}: unknown field '{unknown[0]}' (allowed: {allowed})")
    missing = sorted(REQUIRED.get(name, set()) - set(table))
    if missing:
        raise ConfigError(f"{where}: missing field '{missing[0]}'")


def integer(value, where, lo, hi):
    if isinstance(value, str) and re.fullmatch(r"[0-9_]+", value):
        value = int(value.replace("_", ""))
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise ConfigError(f"{where}: expected an integer from {lo} to {hi}, got {value!r}")
    return value


def text(value, where, pattern=None, what="text"):
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: expected non-empty {what}, got {value!r}")
    if pattern and not re.fullmatch(pattern, value):
        raise ConfigError(f"{where}: {value!r} is not valid {what}")
    return value


def validate(cfg):
    """Returns the normalised config; raises ConfigError on the first problem."""
    unknown = sorted(set(cfg) - set(SCHEMA))
    if unknown:
        raise ConfigError(
            f"unknown section '{unknown[0]}' (allowed: {', '.join(sorted(SCHEMA))})"
        )
    if "chain" not in cfg:
        raise ConfigError("missing section [chain]")
    chain = cfg["chain"]
    check_fields(chain, "chain", "[chain]")
    out = {
        "name": text(chain["name"], "chain.name", what="a name"),
        "id": text(chain["id"], "chain.id", r"[A-Za-z0-9_-]+", "a chain id (letters, digits, _ and -)"),
        "para_id": integer(chain["para_id"], "chain.para_id", 1, 2**32 - 1),
        "relay_chain": text(chain["relay_chain"], "chain.relay_chain", r"[A-Za-z0-9_-]+", "a relay chain id"),
        "boot_nodes": [],
        "sudo": None,
        "session_length": None,
    }
    boot_nodes = chain.get("boot_nodes", [])
    if not isinstance(boot_nodes, list):
        raise ConfigError("chain.boot_nodes: expected a list of multiaddresses")
    for i, addr in enumerate(boot_nodes):
        text(addr, f"chain.boot_nodes[{i}]", r"/.+/p2p/[1-9A-HJ-NP-Za-km-z]+", "a multiaddress ending in /p2p/<peer id>")
        out["boot_nodes"].append(addr)
    if "sudo" in chain:
        out["sudo"] = public_key(chain["sudo"], "chain.sudo")
    if "session_length" in chain:
        out["session_length"] = integer(
            chain["session_length"], "chain.session_length", MIN_SESSION_LENGTH, MAX_SESSION_LENGTH
        )

    token = cfg.get("token", {})
    check_fields(token, "token", "[token]")
    out["symbol"] = text(token.get("symbol", "EHR"), "token.symbol", r"[A-Za-z0-9]{1,12}", "a token symbol (1-12 letters or digits)")
    decimals = integer(token.get("decimals", RUNTIME_TOKEN_DECIMALS), "token.decimals", 0, 255)
    if decimals != RUNTIME_TOKEN_DECIMALS:
        raise ConfigError(
            f"token.decimals: must be {RUNTIME_TOKEN_DECIMALS}, the runtime's unit is "
            f"10^{RUNTIME_TOKEN_DECIMALS} planck (deposits and fees are set in it), got {decimals}"
        )
    ss58 = integer(token.get("ss58_format", RUNTIME_SS58_PREFIX), "token.ss58_format", 0, 16383)
    if ss58 != RUNTIME_SS58_PREFIX:
        raise ConfigError(
            f"token.ss58_format: must be {RUNTIME_SS58_PREFIX}, the runtime's SS58 prefix "
            f"(frame_system::Config::SS58Prefix), got {ss58}"
        )

    orgs = cfg.get("organisations", [])
    if not isinstance(orgs, list) or not orgs:
        raise ConfigError("no [[organisations]]: the council needs at least one member organisation")
    out["organisations"], out["council"] = [], []
    seen_admin, seen_council = {}, {}
    for i, org in enumerate(orgs):
        where = f"organisations[{i}]"
        check_fields(org, "organisations", where)
        if "name" in org:
            text(org["name"], f"{where}.name", what="a name")
        admin = public_key(org["admin"], f"{where}.admin")
        council = public_key(org.get("council", org["admin"]), f"{where}.council")
        if admin in seen_admin:
            raise ConfigError(f"{where}.admin: duplicate member: {ss58_encode(admin)} is already the admin of organisations[{seen_admin[admin]}]")
        if council in seen_council:
            raise ConfigError(f"{where}.council: duplicate member: {ss58_encode(council)} is already on the council for organisations[{seen_council[council]}]")
        seen_admin[admin], seen_council[council] = i, i
        out["organisations"].append(admin)
        out["council"].append(council)
    if len(out["council"]) > MAX_COUNCIL:
        raise ConfigError(f"organisations: {len(out['council'])} members, the council holds at most {MAX_COUNCIL}")

    collators = cfg.get("collators", [])
    if not isinstance(collators, list) or not collators:
        raise ConfigError("no [[collators]]: the chain needs at least one collator to produce blocks")
    if len(collators) > MAX_COLLATORS:
        raise ConfigError(f"collators: {len(collators)} given, the runtime allows at most {MAX_COLLATORS}")
    out["collators"] = []
    seen_acc, seen_key = {}, {}
    for i, col in enumerate(collators):
        where = f"collators[{i}]"
        check_fields(col, "collators", where)
        acc = public_key(col["account"], f"{where}.account")
        aura = public_key(col["aura"], f"{where}.aura")
        if acc in seen_acc:
            raise ConfigError(f"{where}.account: duplicate collator: {ss58_encode(acc)} is also collators[{seen_acc[acc]}]")
        if aura in seen_key:
            raise ConfigError(f"{where}.aura: duplicate session key: also the key of collators[{seen_key[aura]}]")
        seen_acc[acc], seen_key[aura] = i, i
        out["collators"].append((acc, aura))

    endowments = cfg.get("endowments", [])
    if not isinstance(endowments, list):
        raise ConfigError("endowments: expected [[endowments]] tables")
    out["endowments"] = []
    seen = {}
    for i, e in enumerate(endowments):
        where = f"endowments[{i}]"
        check_fields(e, "endowments", where)
        acc = public_key(e["account"], f"{where}.account")
        if acc in seen:
            raise ConfigError(f"{where}.account: duplicate endowment: {ss58_encode(acc)} is also endowments[{seen[acc]}]")
        seen[acc] = i
        balance = integer(e["balance"], f"{where}.balance", EXISTENTIAL_DEPOSIT, U128_MAX)
        out["endowments"].append((acc, balance))
    return out


def warnings(cfg):
    funded = {acc for acc, _ in cfg["endowments"]}
    for acc in cfg["council"]:
        if acc not in funded:
            yield f"council account {ss58_encode(acc)} has no endowment: it cannot pay fees to propose or vote"


def genesis_patch(cfg):
    """The patch over the runtime's default genesis, in the shape of the runtime's presets."""
    addr = ss58_encode
    return {
        "balances": {"balances": [[addr(a), b] for a, b in cfg["endowments"]]},
        "parachainInfo": {"parachainId": cfg["para_id"]},
        "collatorSelection": {"invulnerables": [addr(a) for a, _ in cfg["collators"]]},
        "session": {"keys": [[addr(a), addr(a), {"aura": addr(k)}] for a, k in cfg["collators"]]},
        "councilMembership": {"members": [addr(a) for a in cfg["council"]]},
        "ehrIdentity": {"organisations": [addr(a) for a in cfg["organisations"]], "providers": []},
        "sudo": {"key": addr(cfg["sudo"]) if cfg["sudo"] else None},
        # Blocks per collator session; absent: the runtime's default (an hour).
        "ehrGovernance": {"sessionLength": cfg["session_length"]},
    }


# --- Building the spec ---------------------------------------------------------------------------


def node_binary(explicit):
    if explicit:
        return explicit
    if os.environ.get("EHR_NODE"):
        return os.environ["EHR_NODE"]
    target = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    return str(Path(target) / "release" / "ehr-node")


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{proc.stderr.strip()}")
    return proc.stdout


def build(cfg, patch, out_dir, node, runtime):
    if not Path(node).is_file():
        sys.exit(f"error: ehr-node not found at {node}: build it (scripts/test.sh or cargo build --release -p ehr-node), or pass --node")
    out_dir.mkdir(parents=True, exist_ok=True)
    base = out_dir / cfg["id"]
    plain, raw, patch_file = (Path(f"{base}.plain.json"), Path(f"{base}.raw.json"), Path(f"{base}.patch.json"))
    patch_file.write_text(json.dumps(patch, indent=2) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        if runtime is None:
            # The runtime built into the node: the code of its `dev` spec.
            runtime = str(Path(tmp) / "runtime.wasm")
            run([node, "export-genesis-wasm", "--chain", "dev", "--raw", runtime])
        props = f"tokenSymbol={cfg['symbol']},tokenDecimals={RUNTIME_TOKEN_DECIMALS},ss58Format={RUNTIME_SS58_PREFIX}"
        # `--verify` builds the genesis storage once: a patch the runtime rejects fails here.
        run([node, "chain-spec-builder", "-c", str(plain), "create", "--verify",
             "-n", cfg["name"], "-i", cfg["id"], "-t", "live",
             "--para-id", str(cfg["para_id"]), "--relay-chain", cfg["relay_chain"],
             "--runtime", runtime, "--properties", props, "patch", str(patch_file)])
    # Boot nodes are a top-level field of the spec the builder has no option for.
    spec = json.loads(plain.read_text())
    spec["bootNodes"] = cfg["boot_nodes"]
    plain.write_text(json.dumps(spec, indent=2) + "\n")
    run([node, "chain-spec-builder", "-c", str(raw), "convert-to-raw", str(plain)])
    return plain, raw, patch_file


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("config", type=Path)
    ap.add_argument("--out", type=Path, default=Path("."), help="directory for the specs (default: .)")
    ap.add_argument("--node", help="ehr-node binary (default: $EHR_NODE or $CARGO_TARGET_DIR/release/ehr-node)")
    ap.add_argument("--runtime", help="runtime WASM (default: the one built into ehr-node)")
    ap.add_argument("--check", action="store_true", help="only validate the config and print the genesis patch")
    args = ap.parse_args()
    try:
        with open(args.config, "rb") as f:
            raw_cfg = tomllib.load(f)
    except OSError as e:
        sys.exit(f"error: cannot read {args.config}: {e.strerror}")
    except tomllib.TOMLDecodeError as e:
        sys.exit(f"error: {args.config} is not valid TOML: {e}")
    try:
        cfg = validate(raw_cfg)
    except ConfigError as e:
        print(f"error: {args.config}: {e}", file=sys.stderr)
        sys.exit(2)
    for w in warnings(cfg):
        print(f"warning: {w}", file=sys.stderr)
    patch = genesis_patch(cfg)
    if args.check:
        print(json.dumps(patch, indent=2))
        return
    plain, raw, patch_file = build(cfg, patch, args.out, node_binary(args.node), args.runtime)
    print(f"wrote {plain}\nwrote {raw}\nwrote {patch_file}")
    print(f"{len(cfg['organisations'])} organisations, {len(cfg['collators'])} collators, "
          f"para id {cfg['para_id']} on {cfg['relay_chain']}, sudo: {'yes' if cfg['sudo'] else 'none'}")


if __name__ == "__main__":
    main()
