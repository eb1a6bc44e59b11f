#!/usr/bin/env python3
"""Reads `cargo clippy --message-format=json` (run with `-- --cap-lints warn`, so that a denied
lint in one crate does not stop the crates after it from being checked) and fails on every
warning or error of the workspace's code, printed as rustc renders it.

One narrow exemption: FRAME's pallet macros expand `#[pallet::pallet]`, `#[pallet::storage]`
and `#[pallet::error]` into code that calls `expect` (on compile-time constants), and rustc
attributes that code to the attribute's own tokens, so clippy reports it as ours. A diagnostic
is exempt only if its lint is `clippy::expect_used` and its primary span is exactly such an
attribute line; the exempted ones are counted and listed with `--verbose`.
"""
import json
import re
import sys

FRAME_ATTRIBUTE = re.compile(r"^#\[pallet::(pallet|storage|error)\]$")
EXEMPT_LINTS = {"clippy::expect_used"}


def main() -> int:
    verbose = "--verbose" in sys.argv
    findings, exempt, seen = [], [], set()
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        diag = msg["message"]
        if diag["level"] not in ("warning", "error"):
            continue
        primary = [s for s in diag["spans"] if s["is_primary"]]
        # Summaries ("N warnings emitted") have no span and no code.
        if not primary and not diag.get("code"):
            continue
        where = (primary[0]["file_name"], primary[0]["line_start"]) if primary else ("", 0)
        code = (diag.get("code") or {}).get("code", "")
        key = (code, where, diag["message"])
        if key in seen:  # the same finding in a crate's lib and its test build
            continue
        seen.add(key)
        text = primary[0]["text"][0]["text"].strip() if primary and primary[0]["text"] else ""
        if code in EXEMPT_LINTS and FRAME_ATTRIBUTE.match(text):
            exempt.append(f"{where[0]}:{where[1]} {text} ({code})")
            continue
        findings.append(diag["rendered"])
    for rendered in findings:
        sys.stdout.write(rendered)
    print(f"clippy: {len(findings)} finding(s); {len(exempt)} exempt in FRAME pallet-macro expansions")
    if verbose:
        for e in exempt:
            print("  exempt:", e)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
