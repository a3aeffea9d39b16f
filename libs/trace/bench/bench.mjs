#!/usr/bin/env node
// `npm run bench` (in libs/trace, or at the root): the speed figures, measured on the
// built library. Every timing is a median of several runs; each ratio compares our code with bare
// SHA-256 calls of the same implementation in the same run. Nothing here asserts a time: the
// numbers are printed for the issue note and for review.
import { performance } from 'node:perf_hooks';

import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import {
  MemoryTree,
  createMerkleHasher,
  generateNoteKeys,
  openCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  rootOfLeaves,
  signCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@traceroot/trace';
import { buildMerkleTreeJs, nodeSha256 } from '@traceroot/trace/node';

const N = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
const timeMedian = (fn, runs = RUNS) => median(Array.from({ length: runs }, () => time(fn)));
// Times `fn` and its baseline alternately, run after run, so both see the same machine load;
// returns the medians and the median of the per-run ratios.
const compare = (baselineFn, fn, runs = RUNS) => {
  const rows = Array.from({ length: runs }, () => {
    const base = time(baselineFn);
    const ours = time(fn);
    return { base, ours, ratio: ours / base };
  });
  return {
    base: median(rows.map((r) => r.base)),
    ours: median(rows.map((r) => r.ours)),
    ratio: median(rows.map((r) => r.ratio)),
  };
};
const log = (label, value) => console.log(`${label.padEnd(64)} ${value}`);
const progress = (text) => process.stderr.write(`… ${text}\n`);

const SHAS = { noble: (d) => nobleSha256(d), 'node:crypto': nodeSha256 };

// Leaves: N distinct 32-byte values (the size of the hash IDs and digests a leaf holds most of).
progress(`preparing ${fmt(N)} leaves`);
const leaves = Array.from({ length: N }, (_, i) => {
  const leaf = new Uint8Array(32);
  new DataView(leaf.buffer).setUint32(28, i);
  return leaf;
});

console.log(
  `\n@traceroot/trace benchmark — ${fmt(N)} leaves, median of ${RUNS} runs, Node ${process.version}\n`,
);

for (const [name, sha] of Object.entries(SHAS)) {
  const hasher = createMerkleHasher(sha);
  progress(`${name}: bare SHA-256 baseline`);
  // Baseline: exactly the 2N − 1 SHA-256 calls a root of N leaves implies, on inputs of the same
  // sizes (33-byte leaf inputs, 65-byte node inputs), with no tree logic at all.
  const leafInput = new Uint8Array(33);
  const nodeInput = new Uint8Array(65);
  const bareCalls = () => {
    for (let i = 0; i < N; i++) sha(leafInput);
    for (let i = 1; i < N; i++) sha(nodeInput);
  };
  progress(`${name}: leaf hashes`);
  let leafHashes;
  const leafTime = timeMedian(() => {
    leafHashes = leaves.map((leaf) => hasher.hashLeaf(leaf));
  });
  progress(`${name}: root of ${fmt(N)} leaves, beside the bare SHA-256 calls`);
  // Leaves stream through the compact range: hashed and folded one by one, never all held.
  const root = compare(bareCalls, () => rootOfLeaves(leaves, hasher));
  log(`[${name}] leaf hashes/s (32-byte leaves)`, fmt((N / leafTime) * 1000));
  log(`[${name}] bare SHA-256 × ${fmt(2 * N - 1)} (baseline)`, `${fmt(root.base)} ms`);
  log(
    `[${name}] root of ${fmt(N)} leaves, our code (leaf hashes + tree)`,
    `${fmt(root.ours)} ms = ${root.ratio.toFixed(2)}× baseline (target ≤ 1.5×)`,
  );
  void leafHashes;
}

progress('merkletreejs: root of the same leaves');
const nodeHasher = createMerkleHasher(nodeSha256);
const mtjsTime = timeMedian(
  () => buildMerkleTreeJs(leaves.map((leaf) => nodeHasher.hashLeaf(leaf))).rootHash(),
  Math.min(RUNS, 3),
);
log(`[merkletreejs, node:crypto] root of ${fmt(N)} leaves`, `${fmt(mtjsTime)} ms`);

progress('building the in-memory tree with stored nodes');
const tree = new MemoryTree(nodeHasher);
const leafHashes = leaves.map((leaf) => nodeHasher.hashLeaf(leaf));
const buildTime = time(() => tree.appendLeafHashes(leafHashes));
log(`[node:crypto] append ${fmt(N)} leaves to a tree storing every node`, `${fmt(buildTime)} ms`);
const root = tree.rootHash();

const PROOFS = 20_000;
const indices = Array.from({ length: PROOFS }, (_, i) => Math.floor((i * 2_654_435_761) % N));
progress('inclusion proofs');
let proofs;
const genTime = timeMedian(() => {
  proofs = indices.map((i) => tree.inclusionProof(i));
});
log(`inclusion proofs generated/s at tree size ${fmt(N)}`, fmt((PROOFS / genTime) * 1000));
// A verifier holds proofs as it received them: freshly decoded, contiguous in memory. Proofs
// still pointing into the 2M-node tree held by this process are slower for cache reasons only
// (their hashes lie scattered over a 200 MB heap); both are printed.
const received = proofs.map((p) => ({
  ...p,
  path: p.path.map((h) => h.slice()),
  leaf: leaves[p.leafIndex].slice(),
}));

for (const [name, sha] of Object.entries(SHAS)) {
  const hasher = createMerkleHasher(sha);
  const depth = proofs[0].path.length;
  const input = new Uint8Array(65);
  const leafInput = new Uint8Array(33);
  const bare = () => {
    for (let j = 0; j < PROOFS; j++) {
      sha(leafInput);
      for (let c = 0; c < depth; c++) sha(input);
    }
  };
  const r = compare(bare, () => {
    for (const proof of received) verifyInclusion(hasher.hashLeaf(proof.leaf), proof, root, hasher);
  });
  const held = compare(bare, () => {
    for (let j = 0; j < PROOFS; j++) {
      verifyInclusion(hasher.hashLeaf(leaves[indices[j]]), proofs[j], root, hasher);
    }
  });
  log(
    `[${name}] inclusion proofs verified/s at tree size ${fmt(N)}`,
    fmt((PROOFS / r.ours) * 1000),
  );
  log(
    `[${name}] one verification vs its ${depth + 1} bare SHA-256 calls`,
    `${((r.ours / PROOFS) * 1000).toFixed(2)} µs vs ${((r.base / PROOFS) * 1000).toFixed(2)} µs = ${r.ratio.toFixed(2)}× (target ≤ 1.5×)`,
  );
  log(
    `[${name}]   the same with proofs still held in the tree's memory`,
    `${held.ratio.toFixed(2)}×`,
  );
}

progress('consistency proofs');
const pairs = Array.from({ length: 5_000 }, (_, i) => {
  const size1 = 1 + Math.floor((i * 2_654_435_761) % (N - 1));
  return { proof: tree.consistencyProof(size1, N), root1: tree.rootHash(size1) };
});
for (const [name, sha] of Object.entries(SHAS)) {
  const hasher = createMerkleHasher(sha);
  const t = timeMedian(() => {
    for (const { proof, root1 } of pairs) verifyConsistency(proof, root1, root, hasher);
  });
  log(
    `[${name}] consistency proofs verified/s (size1 random, size2 ${fmt(N)})`,
    fmt((pairs.length / t) * 1000),
  );
}

progress('checkpoints');
const keys = generateNoteKeys('bench.traceroot.dev/log', new Uint8Array(32).fill(7));
// Parsed once, as the service and verifiers hold them (a key string is re-parsed on every call).
const signerKey = parseSignerKey(keys.signerKey);
const verifierKey = parseVerifierKey(keys.verifierKey);
const checkpoint = {
  origin: 'bench.traceroot.dev/log',
  treeSize: N,
  rootHash: root,
  extensions: [],
};
const SIGNS = 2_000;
let note;
const signTime = timeMedian(() => {
  for (let i = 0; i < SIGNS; i++) {
    note = signCheckpoint({ ...checkpoint, treeSize: N + i }, signerKey);
  }
});
const openTime = timeMedian(() => {
  for (let i = 0; i < SIGNS; i++) openCheckpoint(note, [verifierKey]);
});
log('checkpoint signs/s (Ed25519, @noble/curves)', fmt((SIGNS / signTime) * 1000));
log('checkpoint verifies/s (parse + Ed25519 verify)', fmt((SIGNS / openTime) * 1000));
console.log();
