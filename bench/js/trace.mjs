// Reads an editing trace (josephg/editing-traces JSON, gzipped or not) and plans concurrent replay
// exactly as dev.loam.bench.TraceReplay.Plan does.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { basename } from "node:path";

export function readTrace(path) {
  let buf = readFileSync(path);
  if (path.endsWith(".gz")) buf = gunzipSync(buf);
  const t = JSON.parse(buf.toString("utf8"));
  if (t.startContent) throw new Error(`${path}: start content is not supported`);
  t.name = basename(path).replace(/\.json(\.gz)?$/, "");
  t.concurrent = t.kind === "concurrent";
  t.numAgents = t.concurrent ? t.numAgents : 1;
  let charOps = 0, patches = 0;
  for (const txn of t.txns) for (const [, d, ins] of txn.patches) { charOps += d + [...ins].length; patches++; }
  t.charOps = charOps;
  t.patchCount = patches;
  return t;
}

/** Per txn: its sequence number within its agent, and its parents' version vector. */
export function plan(t) {
  const n = t.txns.length, A = t.numAgents;
  const seq = new Array(n), vv = new Array(n), parentVv = new Array(n), count = new Array(A).fill(0);
  for (let i = 0; i < n; i++) {
    const v = new Array(A).fill(0);
    for (const p of t.txns[i].parents) for (let a = 0; a < A; a++) v[a] = Math.max(v[a], vv[p][a]);
    const a = t.txns[i].agent;
    if (v[a] !== count[a]) throw new Error(`txn ${i} does not follow its agent's previous txn`);
    parentVv[i] = v.slice();
    seq[i] = count[a]++;
    v[a] = count[a];
    vv[i] = v;
  }
  const txnsOfAgent = Array.from({ length: A }, () => []);
  for (let i = 0; i < n; i++) txnsOfAgent[t.txns[i].agent].push(i);
  return { seq, parentVv, txnsOfAgent };
}

/**
 * Replays a concurrent trace over per-agent replicas. lib: { create(agent), rootUpdate, edit(agent, patches) -> update,
 * apply(agent, updates) }. Returns the agent of the last txn (whose replica has seen everything).
 */
export function replayConcurrent(t, p, lib) {
  const A = t.numAgents, n = t.txns.length;
  const known = Array.from({ length: A }, () => new Array(A).fill(0));
  const updates = new Array(n);
  for (let i = 0; i < n; i++) {
    const a = t.txns[i].agent, want = p.parentVv[i], missing = [];
    for (let b = 0; b < A; b++) {
      if (known[a][b] > want[b]) throw new Error(`agent ${a} has seen more than txn ${i}'s parents`);
      for (let s = known[a][b]; s < want[b]; s++) missing.push(updates[p.txnsOfAgent[b][s]]);
      known[a][b] = want[b];
    }
    if (missing.length) lib.apply(a, missing);
    updates[i] = lib.edit(a, t.txns[i].patches);
    known[a][a]++;
  }
  return t.txns[n - 1].agent;
}

export function median(xs) {
  const w = xs.length === 1 ? xs.slice() : xs.slice(1);
  w.sort((a, b) => a - b);
  const m = w.length >> 1;
  return w.length % 2 ? w[m] : (w[m - 1] + w[m]) / 2;
}
