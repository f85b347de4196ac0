// node table.mjs results.jsonl — prints bench/compare's markdown table.
// Ratios are "library ÷ Loam" on warm figures: above 1 means Loam is faster (or smaller).
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
const f = (x, d = 0) => (x == null || Number.isNaN(x) ? "–" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
const ms = (x) => (x == null ? "–" : x < 10 ? f(x, 2) : x < 100 ? f(x, 1) : f(x));
const ratio = (a, b) => (a == null || b == null || !b ? "–" : `${a / b >= 10 ? (a / b).toFixed(1) : (a / b).toPrecision(2)}×`);

const groups = new Map();
for (const r of rows) {
  const key = `${r.result.trace} ${r.result.mode ?? ""}`;
  if (r.library === "loam-in-automerge-js") {
    [...groups.values()].at(-1).check = r.result;
    continue;
  }
  if (!groups.has(key)) groups.set(key, { libs: [] });
  groups.get(key).libs.push(r);
}

console.log("| trace | mode | library | replay cold ms | replay warm ms | ÷ Loam | save ms | saved bytes | B/change | B/op | load cold / warm ms | ÷ Loam | memory kept MiB | ÷ Loam | empty peer sync ms | ÷ Loam | checks |");
console.log("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
for (const [, g] of groups) {
  const loam = g.libs.find((x) => x.library === "loam")?.result;
  for (const { library, result: r, memory } of g.libs) {
    const d = r.detail ?? {};
    const heap = library === "loam" ? r.heapBytes : memory?.heapBytes;
    const loamHeap = loam?.heapBytes;
    // Changes as the trace defines them (the text's creation + one per txn, or one): Loro and Yjs merge theirs.
    const changes = r.mode === "single" ? 1 : d.txns + 1;
    const ok = [r.textOk ? "text" : "TEXT WRONG", d.loadOk ? "load" : "LOAD WRONG", d.syncOk ? "sync" : "SYNC WRONG"];
    if (library === "loam" && g.check) ok.push(g.check.textOk && g.check.headsOk ? "loads in Automerge JS (text, heads)" : "AUTOMERGE JS LOAD MISMATCH");
    console.log(`| ${r.trace} | ${r.mode} | ${library} | ${ms(r.replayMs.first)} | ${ms(r.replayMs.median)} | ${library === "loam" ? "1" : ratio(r.replayMs.median, loam?.replayMs.median)} | ${ms(r.saveMs)} | ${f(r.saveBytes)} | ${f(r.saveBytes / changes, 2)} | ${f(r.saveBytes / d.charOps, 3)} | ${ms(d.loadFirstMs)} / ${ms(r.loadMs)} | ${library === "loam" ? "1" : ratio(r.loadMs, loam?.loadMs)} | ${f(heap / 1048576, 1)} | ${library === "loam" ? "1" : ratio(heap, loamHeap)} | ${ms(r.syncEmptyPeerMs)} | ${library === "loam" ? "1" : ratio(r.syncEmptyPeerMs, loam?.syncEmptyPeerMs)} | ${ok.join(", ")} |`);
  }
}

// Loam's load in detail: verified (what Document.load does), deferred verification
// (LoadOptions.deferVerification: hashes computed on first need), and the SHA-256 floor of a
// verified load (bytes of every change chunk at this JVM's large-block SHA-256 throughput).
console.log("");
console.log("| trace | mode | Loam load verified ms | Loam load deferred ms | SHA-256 floor ms (bytes hashed) | verified ÷ floor | Automerge JS load ÷ Loam verified | ÷ Loam deferred |");
console.log("|---|---|--:|--:|--:|--:|--:|--:|");
for (const [, g] of groups) {
  const loam = g.libs.find((x) => x.library === "loam")?.result;
  const am = g.libs.find((x) => x.library === "automerge")?.result;
  if (!loam?.detail) continue;
  const d = loam.detail;
  console.log(`| ${loam.trace} | ${loam.mode} | ${ms(loam.loadMs)} | ${ms(d.loadDeferredMs)} | ${ms(d.sha256FloorMs)} (${f(d.hashedBytes)} B) | ${ratio(loam.loadMs, d.sha256FloorMs)} | ${ratio(am?.loadMs, loam.loadMs)} | ${ratio(am?.loadMs, d.loadDeferredMs)} |`);
}
