// node --expose-gc replay.mjs LIB TRACE [--mode per-txn|single] [--runs N] [--memory]
//
// Times, inside this process, what dev.loam.bench.TraceBench times in the JVM: run 0 is the
// first in a fresh process (cold), the warm figure is the median of runs 1..N-1. Each run
// replays the trace from scratch (checked against endContent), saves, loads (version checked),
// and syncs an empty peer. Prints one JSON object of issue 5's shape plus a "detail" object.
// --memory instead replays once and prints {heapBytes}: heapUsed after GC with the document
// minus without it, plus the growth of wasm memory (which never shrinks, hence its own process).
import "./wasm-memory.mjs";
import { wasmBytes } from "./wasm-memory.mjs";
import { readTrace, plan, replayConcurrent, median } from "./trace.mjs";
import { libs } from "./libs.mjs";
import { performance } from "node:perf_hooks";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i < 0 ? dflt : args[i + 1]; };
const lib = libs[args[0]];
if (!lib) throw new Error(`unknown library ${args[0]} (automerge, yjs, loro)`);
const t = readTrace(args[1]);
const mode = t.concurrent ? "concurrent" : opt("--mode", "per-txn");
const runs = Math.max(1, Number(opt("--runs", "5")));
if (!global.gc) throw new Error("run with node --expose-gc");

const p = t.concurrent ? plan(t) : null;
function replay() {
  if (!p) return lib.replay(t, mode);
  const c = lib.concurrent(t);
  return c.result(replayConcurrent(t, p, c));
}

function gcUsed() {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    global.gc();
    const used = process.memoryUsage().heapUsed;
    if (Math.abs(last - used) < 64 * 1024) return used;
    last = used;
  }
  return last;
}

if (args.includes("--memory")) {
  const before = gcUsed();
  const wasm0 = wasmBytes();
  let doc = replay();
  const withDoc = gcUsed();
  const wasm1 = wasmBytes();
  const ok = lib.text(doc) === t.endContent;
  doc = null;
  const after = gcUsed();
  console.log(JSON.stringify({ library: lib.name, trace: t.name, mode, heapBytes: withDoc - Math.min(before, after) + (wasm1 - wasm0),
    jsHeapBytes: withDoc - Math.min(before, after), wasmGrowthBytes: wasm1 - wasm0, textOk: ok }));
  process.exit(0);
}

const replayMs = [], saveMs = [], loadMs = [], syncMs = [];
let textOk = true, loadOk = true, syncOk = true, saveBytes = 0, finalLength = 0, changes = NaN, version = null, messages = 0;
for (let r = 0; r < runs; r++) {
  global.gc();
  let t0 = performance.now();
  const doc = replay();
  replayMs.push(performance.now() - t0);
  const text = lib.text(doc);
  textOk &&= text === t.endContent;
  finalLength = text.length;
  changes = lib.changes(doc);
  version = lib.version(doc);

  t0 = performance.now();
  const bytes = lib.save(doc);
  saveMs.push(performance.now() - t0);
  saveBytes = bytes.length;

  t0 = performance.now();
  const loaded = lib.load(bytes);
  loadMs.push(performance.now() - t0);
  loadOk &&= lib.sameVersion(doc, loaded) && lib.text(loaded) === text;

  t0 = performance.now();
  const { peer, messages: m } = lib.syncEmptyPeer(doc);
  syncMs.push(performance.now() - t0);
  messages = m;
  syncOk &&= lib.text(peer) === text && lib.sameVersion(doc, peer);
}
console.log(JSON.stringify({
  trace: t.name, mode, runs,
  replayMs: { first: replayMs[0], median: median(replayMs) },
  saveMs: median(saveMs), saveBytes, loadMs: median(loadMs), heapBytes: null,
  syncEmptyPeerMs: median(syncMs), finalLength, textOk,
  detail: { library: lib.name, txns: t.txns.length, charOps: t.charOps, changes,
    saveFirstMs: saveMs[0], loadFirstMs: loadMs[0], syncFirstMs: syncMs[0], syncMessages: messages,
    loadOk, syncOk, version },
}));
