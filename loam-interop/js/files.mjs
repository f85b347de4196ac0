// The file-format interop driver (issue 3): one long-lived node process, one JSON request per line
// on stdin ({id, cmd, ...}), one JSON response per line on stdout ({id, ok, result|error}).
//   history {seed}          a random history: change batches as JS applied them, JS's save(),
//                           JSON and heads, and a mid-point save for incremental checks
//   bigHistory {seed}       thousands of changes by three actors, merged into one document: its
//                           save(), JSON, heads and number of changes
//   bigChange {seed}        one change of more than 16,384 ops (text, map, list, deletes, a mark):
//                           the document's save(), heads and the change's op count
//   load {file, incr?}      JS loads `file` (hex), then loadIncremental(`incr`) if given:
//                           its JSON, heads, queued-or-not, and its own save()
import * as A from "@automerge/automerge";
import { createInterface } from "node:readline";
import { Rng, docJson, fromHex, stringify, toHex } from "./common.mjs";
import { execute, newDoc, randomHistory } from "./script.mjs";

function randomActors(rng, n) {
  const actors = new Set();
  while (actors.size < n) actors.add(rng.hex(rng.chance(0.2) ? rng.pick([1, 4, 8]) : 16));
  return [...actors];
}

/** Appends a long text edit (so columns pass the 256-byte DEFLATE threshold) to a random doc. */
function longText(rng, docs, time) {
  const h = docs[rng.int(docs.length)];
  const key = "long" + rng.int(3);
  const cur = h.getWithType("_root", key);
  const obj = cur && cur[0] === "text" ? cur[1] : h.putObject("_root", key, "");
  let s = "";
  const n = rng.range(200, 900);
  for (let i = 0; i < n; i++) s += rng.pick(["a", "b", " ", "é", "中", "😀", "\n", "lorem ", "ipsum "]);
  const len = h.length(obj);
  h.splice(obj, rng.range(0, len), len > 0 && rng.chance(0.3) ? rng.range(0, Math.min(40, len)) : 0, s);
  if (rng.chance(0.5) && h.length(obj) > 10) {
    const start = rng.int(h.length(obj) - 5);
    h.mark(obj, { start, end: start + rng.range(1, 5), expand: "after" }, "bold", true);
  }
  h.commit(rng.chance(0.5) ? null : "long text", time);
}

function history({ seed }) {
  const rng = new Rng(seed * 31 + 7);
  const actors = randomActors(rng, rng.range(1, 4));
  const { docs } = randomHistory(rng, { actors, steps: rng.range(4, 14), maxOps: 6 });
  if (rng.chance(0.4)) longText(rng, docs, 1700000000 + rng.int(1000));
  // everything every doc has, as one pool
  const pool = newDoc(rng.hex(16));
  for (const d of docs) pool.merge(d);
  const all = pool.getChanges([]).map((c) => [toHex(c), A.decodeChange(c)]);
  // withhold a few changes: their dependents become orphans
  const withheld = new Set();
  if (all.length > 2 && rng.chance(0.3)) {
    for (let k = rng.range(1, 2); k > 0; k--) withheld.add(all[1 + rng.int(all.length - 1)][1].hash);
  }
  const send = all.filter(([, d]) => !withheld.has(d.hash)).map(([hex]) => hex);
  if (rng.chance(0.5)) rng.shuffle(send);
  // batches as JS applies them
  const batches = [];
  for (let i = 0; i < send.length; ) {
    const n = rng.range(1, Math.max(1, Math.ceil(send.length / 2)));
    batches.push(send.slice(i, i + n));
    i += n;
  }
  const target = newDoc(rng.hex(16));
  const mid = rng.int(batches.length + 1);
  let midSave = null, midHeads = null, midJson = null;
  batches.forEach((b, i) => {
    if (i === mid) { midSave = toHex(target.save()); midHeads = target.getHeads(); midJson = docJson(target); }
    target.applyChanges(b.map(fromHex));
  });
  if (midSave === null) { midSave = toHex(target.save()); midHeads = target.getHeads(); midJson = docJson(target); }
  return {
    batches,
    mid,
    midSave, midHeads, midJson,
    save: toHex(target.save()),
    json: docJson(target),
    heads: target.getHeads(),
    withheld: [...withheld],
  };
}

function bigHistory({ seed }) {
  const rng = new Rng(seed * 17 + 3);
  const { docs } = randomHistory(rng, { actors: randomActors(rng, 3), steps: 4000, maxOps: 4 });
  const doc = newDoc(rng.hex(16));
  for (const d of docs) doc.merge(d);
  return { save: toHex(doc.save()), json: docJson(doc), heads: doc.getHeads(), changes: doc.getChanges([]).length };
}

function bigChange({ seed }) {
  const rng = new Rng(seed * 13 + 5);
  const h = newDoc(rng.hex(16));
  const text = h.putObject("_root", "text", "");
  const list = h.putObject("_root", "list", []);
  for (let i = 0; i < 9000; i++) {
    const len = h.length(text);
    const at = rng.range(0, len);
    const del = len > at && rng.chance(0.2) ? rng.range(1, Math.min(3, len - at)) : 0;
    h.splice(text, at, del, rng.pick(["a", "bc", " ", "é", "中", "\n", "lorem "]));
    if (rng.chance(0.3)) h.put("_root", "k" + rng.int(500), rng.int(1000));
    if (rng.chance(0.2)) h.insert(list, rng.range(0, h.length(list)), rng.pick([1, "x", true, null, 2.5]));
  }
  h.mark(text, { start: 2, end: 8, expand: "after" }, "bold", true);
  h.commit("one big change", 1700000000);
  const ops = A.decodeChange(h.getLastLocalChange()).ops.length;
  return { save: toHex(h.save()), heads: h.getHeads(), ops };
}

function load({ file, incr }) {
  let doc = A.load(fromHex(file));
  if (incr !== undefined && incr !== null) doc = A.loadIncremental(doc, fromHex(incr));
  const h = A.getBackend(doc);
  return { json: docJson(h), heads: h.getHeads(), save: toHex(h.save()) };
}

const COMMANDS = { ping: () => "pong", history, bigHistory, bigChange, load };

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  if (!line.trim()) continue;
  let req;
  try {
    req = JSON.parse(line);
    const fn = COMMANDS[req.cmd];
    if (!fn) throw new Error("unknown command " + req.cmd);
    process.stdout.write(stringify({ id: req.id, ok: true, result: fn(req) }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req ? req.id : null, ok: false, error: String(e && e.message || e), stack: e && e.stack }) + "\n");
  }
}
