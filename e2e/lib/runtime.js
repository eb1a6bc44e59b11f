// The next runtime a consortium would upgrade to: the chain's own runtime WASM with the spec
// version in its `runtime_version` custom section raised by one, as runtime/tests/governance.rs
// makes it in Rust. The blob is `sp_maybe_compressed_blob`'s format: an 8-byte magic prefix and a
// zstd frame (compressed and decompressed here with the `zstd` command).
import { spawnSync } from 'node:child_process';
import { hexToU8a, u8aConcat, u8aEq } from '@polkadot/util';

const ZSTD_PREFIX = new Uint8Array([82, 188, 83, 118, 70, 219, 142, 5]);

function run(cmd, args, input) {
  const res = spawnSync(cmd, args, { input, maxBuffer: 64 << 20 });
  if (res.error) throw new Error(`${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${res.stderr}`);
  return new Uint8Array(res.stdout);
}

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.i];
    at.i += 1;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
    shift += 7;
  }
}

/** The offset of `spec_version` in the `runtime_version` custom section of `wasm`. */
function specVersionOffset(wasm) {
  const at = { i: 8 }; // magic and version
  while (at.i < wasm.length) {
    const id = wasm[at.i];
    at.i += 1;
    const size = leb(wasm, at);
    const end = at.i + size;
    if (id === 0) {
      const p = { i: at.i };
      const nameLen = leb(wasm, p);
      const name = new TextDecoder().decode(wasm.subarray(p.i, p.i + nameLen));
      if (name === 'runtime_version') {
        p.i += nameLen;
        // spec_name and impl_name (SCALE strings: compact length, bytes), authoring_version (u32).
        for (let s = 0; s < 2; s += 1) {
          const first = wasm[p.i];
          const mode = first & 3;
          if (mode > 1) throw new Error('runtime_version: unexpected string length encoding');
          const len = mode === 0 ? first >> 2 : (first | (wasm[p.i + 1] << 8)) >> 2;
          p.i += (mode === 0 ? 1 : 2) + len;
        }
        return p.i + 4;
      }
    }
    at.i = end;
  }
  throw new Error('no runtime_version section');
}

/**
 * `{ code, specVersion }`: the runtime of the chain spec `spec` (exported by `ehr-node
 * export-genesis-wasm`) with spec version `current + 1`, compressed as the node expects.
 */
export function nextRuntime(nodeBin, spec, current) {
  const hex = new TextDecoder().decode(run(nodeBin, ['export-genesis-wasm', '--chain', spec])).trim();
  const blob = hexToU8a(hex);
  if (!u8aEq(blob.subarray(0, 8), ZSTD_PREFIX)) throw new Error('the runtime is not a compressed blob');
  const wasm = run('zstd', ['-d', '-q', '-c'], blob.subarray(8));
  const at = specVersionOffset(wasm);
  const view = new DataView(wasm.buffer, wasm.byteOffset, wasm.byteLength);
  const old = view.getUint32(at, true);
  if (old !== current) throw new Error(`the exported runtime has spec ${old}, the chain runs ${current}`);
  view.setUint32(at, old + 1, true);
  const code = u8aConcat(ZSTD_PREFIX, run('zstd', ['-3', '-q', '-c'], wasm));
  return { code, specVersion: old + 1 };
}
