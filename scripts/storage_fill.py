#!/usr/bin/env python3
"""Adds a consortium's worth of storage items to a raw chain spec, for `benchmark storage`.

Usage: storage_fill.py RAW_SPEC_IN RAW_SPEC_OUT ITEMS [SEED]

`benchmark storage` measures how long the node's database takes to read and write one storage
item of the state it is given. On a fresh development chain that state is 70 items, every trie
lookup ends after a node or two, and the result says nothing about a chain in service. This
script adds ITEMS items shaped like the chain's own bulk state to the genesis of a raw chain
spec (`ehr-node build-spec --chain dev --raw`):

* keys as FRAME lays out a double map: a 32-byte pallet/item prefix, then `Blake2_128Concat` of
  a 32-byte id and `Twox64Concat` of a 4-byte index (92 bytes), so they spread over the trie as a
  map's keys do;
* values of random (incompressible) bytes with the sizes of the chain's most numerous items:
  70% audit entries (164 bytes), 20% records (233 bytes), 10% consent grant lists (434 bytes),
  the `MaxEncodedLen` of each.

The items live under a prefix of their own (BLAKE2b-256 of "ehr/storage-bench/fill"), not under
the real maps: the runtime never decodes them, and the benchmark only sees their keys and sizes.
"""

import hashlib
import json
import random
import sys

SIZES = [(0.70, 164), (0.20, 233), (0.10, 434)]


def value_size(rng: random.Random) -> int:
    roll = rng.random()
    acc = 0.0
    for share, size in SIZES:
        acc += share
        if roll < acc:
            return size
    return SIZES[-1][1]


def main() -> None:
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    src, dst, items = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) == 5 else 2609)
    with open(src) as f:
        spec = json.load(f)
    top = spec["genesis"]["raw"]["top"]
    before = len(top)
    prefix = hashlib.blake2b(b"ehr/storage-bench/fill", digest_size=32).digest()
    for _ in range(items):
        owner = rng.randbytes(32)
        index = rng.randbytes(4)
        key = (
            prefix
            + hashlib.blake2b(owner, digest_size=16).digest()
            + owner
            + hashlib.blake2b(index, digest_size=8).digest()
            + index
        )
        top["0x" + key.hex()] = "0x" + rng.randbytes(value_size(rng)).hex()
    spec["id"] = spec["id"] + "_storage_bench"
    spec["name"] = spec["name"] + " (storage benchmark)"
    with open(dst, "w") as f:
        json.dump(spec, f)
    print(f"{before} items in the spec, {len(top) - before} added: {len(top)}", file=sys.stderr)


if __name__ == "__main__":
    main()
