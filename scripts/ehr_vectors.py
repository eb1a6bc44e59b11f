#!/usr/bin/env python3
"""Reference implementation of the EHR client-side hashing, independent of the Rust code.

Prints the test vectors that `ehr_primitives::hashing` is tested against (and that
docs/ehr-domain.md quotes), so a client in any language can check its own implementation:

- salted digest: H(salt || document), H = SHA2-256 or BLAKE2b-256, salt = 32 random bytes;
- batch Merkle tree: leaf = BLAKE2b-256(0x00 || algorithm || hash), node = BLAKE2b-256(0x01 ||
  left || right), an odd node at the end of a level is promoted unchanged; a proof lists the
  siblings from the leaf up, skipping levels where the node was promoted.

Usage: python3 scripts/ehr_vectors.py
"""
import hashlib

ALGORITHMS = {"Sha2_256": 0, "Blake2b256": 1}


def h_blake2(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def salted_digest(algorithm: str, salt: bytes, document: bytes) -> bytes:
    assert len(salt) == 32
    if algorithm == "Sha2_256":
        return hashlib.sha256(salt + document).digest()
    return h_blake2(salt + document)


def leaf(algorithm: str, digest: bytes) -> bytes:
    return h_blake2(b"\x00" + bytes([ALGORITHMS[algorithm]]) + digest)


def node(left: bytes, right: bytes) -> bytes:
    return h_blake2(b"\x01" + left + right)


def levels(leaves):
    out = [leaves]
    while len(out[-1]) > 1:
        row, up = out[-1], []
        for i in range(0, len(row), 2):
            up.append(node(row[i], row[i + 1]) if i + 1 < len(row) else row[i])
        out.append(up)
    return out


def root(leaves):
    return levels(leaves)[-1][0]


def proof(leaves, index):
    siblings = []
    for row in levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(row):
            siblings.append(row[sibling])
        index //= 2
    return siblings


def slot_order(key, epoch):
    """The slot order of a category key (`ehr_primitives::sealing`, `e2e/lib/privacy.js`)."""
    scored = sorted(
        (hashlib.blake2b(b"ehr/category-slots/v1" + key + epoch.to_bytes(2, "little") + bytes([s]),
                         digest_size=32).digest(), s)
        for s in range(32)
    )
    return [s for _, s in scored]


def main():
    salt = bytes([0x11] * 32)
    document = b"Discharge summary, encounter 0001"
    for alg in ALGORITHMS:
        print(f"salted_digest {alg} = {salted_digest(alg, salt, document).hex()}")
    digests = [salted_digest("Sha2_256", bytes([i] * 32), b"document %d" % i) for i in range(5)]
    for i, d in enumerate(digests):
        print(f"digest[{i}] = {d.hex()}")
    leaves = [leaf("Sha2_256", d) for d in digests]
    for n in (1, 2, 3, 5):
        print(f"root of {n} = {root(leaves[:n]).hex()}")
    for n, i in ((5, 4), (5, 1), (3, 2)):
        print(f"proof {i} of {n} = {[p.hex() for p in proof(leaves[:n], i)]}")
    print(f"slot order of key 00..1f, epoch 1 = {slot_order(bytes(range(32)), 1)}")


if __name__ == "__main__":
    main()
