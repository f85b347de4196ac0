// The Loam interop driver: one long-lived node process per Java test class. It reads one JSON
// request per line on stdin ({id, cmd, ...}) and writes one JSON response per line on stdout
// ({id, ok: true, result} or {id, ok: false, error, stack}). Diagnostics go to stderr.
import * as A from "@automerge/automerge";
import { createInterface } from "node:readline";
import {
  Rng, compareOpIds, docJson, fromHex, objects, plain, range, stringify, toHex, typed,
} from "./common.mjs";
import { ROOT, execute, newDoc, randomHistory, randomOp } from "./script.mjs";

function randomActors(rng, n) {
  const actors = new Set();
  while (actors.size < n) actors.add(rng.hex(rng.chance(0.2) ? rng.pick([1, 4, 8]) : 16));
  return [...actors];
}

/** Same edits, same bytes: a random script run in JS, with every change JS made. */
function sameEdits({ seed }) {
  const rng = new Rng(seed);
  const actors = randomActors(rng, rng.range(1, 3));
  const { docs, steps } = randomHistory(rng, { actors, steps: rng.range(4, 10), maxOps: 5 });
  return {
    actors,
    steps,
    docs: docs.map((h) => ({
      heads: h.getHeads(),
      json: docJson(h),
      changes: h.getChanges([]).map(toHex),
    })),
  };
}

function marksOf(h, heads) {
  return objects(h, heads, ROOT, "map")
    .filter((o) => o.type === "text")
    .map((o) => ({ obj: o.id, text: h.text(o.id, heads), marks: plain(h.marks(o.id, heads)) }));
}

function normalizePatches(patches) {
  const out = [];
  for (const p of patches) {
    const path = p.path;
    switch (p.action) {
      case "put": out.push({ action: "put", path, value: plain(p.value), conflict: !!p.conflict }); break;
      case "insert":
        out.push({
          action: "insert", path, values: plain(p.values), marks: plain(p.marks || {}),
          conflicts: p.conflicts || p.values.map(() => false),
        });
        break;
      case "splice": out.push({ action: "splice", path, value: p.value, marks: plain(p.marks || {}) }); break;
      case "del": out.push({ action: "del", path, length: p.length ?? 1 }); break;
      case "inc": out.push({ action: "inc", path, value: p.value }); break;
      case "mark":
        for (const m of p.marks) out.push({ action: "mark", path, name: m.name, value: plain(m.value), start: m.start, end: m.end });
        break;
      case "unmark": out.push({ action: "mark", path, name: p.name, value: null, start: p.start, end: p.end }); break;
      case "conflict": out.push({ action: "conflict", path }); break;
      default: throw new Error("unknown patch " + JSON.stringify(p));
    }
  }
  return out;
}

/** Same merge: a random multi-actor history and what JS says about its merged result. */
function sameMerge({ seed }) {
  const rng = new Rng(seed);
  const actors = randomActors(rng, rng.range(3, 4));
  const snapshots = [];
  const { docs } = randomHistory(rng, {
    actors,
    steps: rng.range(8, 16),
    maxOps: 4,
    onStep: (ds) => {
      if (rng.chance(0.35)) snapshots.push(ds[rng.int(ds.length)].getHeads());
    },
  });
  const final = newDoc(rng.hex(16));
  for (const d of docs) final.merge(d);
  const heads = final.getHeads();

  const conflicts = [];
  const singles = [];
  for (const o of objects(final, undefined, ROOT, "map")) {
    if (o.type === "text") continue;
    const props = o.type === "map" ? final.keys(o.id) : range(final.length(o.id));
    for (const p of props) {
      const all = final.getAll(o.id, p).map(typed).sort((a, b) => compareOpIds(a.id, b.id));
      const entry = { obj: o.id, ...(typeof p === "number" ? { index: p } : { key: p }), values: all };
      (all.length > 1 ? conflicts : singles).push(entry);
    }
  }
  rng.shuffle(singles);
  const chosen = conflicts.slice(0, 15).concat(singles.slice(0, 5));

  rng.shuffle(snapshots);
  const pastHeads = snapshots.slice(0, 3);
  const past = pastHeads.map((h) => ({ heads: h, json: docJson(final, h), marks: marksOf(final, h) }));

  const points = [[], heads, ...pastHeads];
  const diffs = [];
  for (let i = 0; i < 3; i++) {
    const before = rng.pick(points);
    let after = rng.pick(points);
    if (after === before) after = heads;
    diffs.push({ before, after, patches: normalizePatches(final.diff(before, after)) });
  }

  const cursors = [];
  for (const h of pastHeads.length ? pastHeads : [heads]) {
    const seqs = objects(final, h, ROOT, "map").filter((o) => o.type === "text"); // JS cursors work on text only
    for (let k = 0; k < 2 && seqs.length; k++) {
      const o = rng.pick(seqs);
      const len = final.length(o.id, h);
      const index = rng.range(0, len);
      const move = rng.pick(["before", "after"]);
      const cursor = final.getCursor(o.id, index, h, move);
      cursors.push({
        obj: o.id, heads: h, index, move, cursor,
        positionThen: final.getCursorPosition(o.id, cursor, h),
        positionNow: final.getCursorPosition(o.id, cursor),
      });
    }
  }

  return {
    actors,
    changes: final.getChanges([]).map(toHex),
    heads,
    json: docJson(final),
    conflicts: chosen,
    marks: marksOf(final),
    past,
    diffs,
    cursors,
  };
}

/** JS reads Loam: applies Loam's change chunks (and loads Loam's saved file, if given). */
function readLoam({ changes, file }) {
  const h = newDoc("ffff");
  h.applyChanges(changes.map(fromHex));
  const result = { heads: h.getHeads(), json: docJson(h), missing: h.getMissingDeps() };
  if (file !== undefined) {
    const l = A.getBackend(A.load(fromHex(file)));
    result.load = { heads: l.getHeads(), json: docJson(l) };
  }
  return result;
}

function load({ hex }) {
  const h = A.getBackend(A.load(fromHex(hex)));
  return { heads: h.getHeads(), json: docJson(h), changes: h.getChanges([]).length, marks: marksOf(h) };
}

function decode({ hex }) {
  return A.decodeChange(fromHex(hex));
}

/**
 * A JS peer edits concurrently with Loam: loads `base` as `actor`, commits `ops` random edits
 * (seeded), then applies Loam's `incoming` change chunks; returns its own change and the result.
 */
function editThenApply({ base, actor, seed, ops, incoming }) {
  const rng = new Rng(seed);
  const h = A.getBackend(A.load(fromHex(base), { actor }));
  const before = h.getHeads();
  for (let i = 0; i < ops; i++) execute(h, randomOp(rng, h));
  h.commit("js edit", 1700000000);
  const changes = h.getChanges(before).map(toHex);
  h.applyChanges(incoming.map(fromHex));
  return { changes, heads: h.getHeads(), json: docJson(h), missing: h.getMissingDeps() };
}

const COMMANDS = {
  ping: () => ({ automerge: A.releaseInfo ? plain(JSON.parse(JSON.stringify(A.releaseInfo()))) : null }),
  sameEdits,
  sameMerge,
  readLoam,
  editThenApply,
  load,
  decode,
  isoDates: ({ millis }) => millis.map((ms) => plain(new Date(ms))),
};

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on("line", (line) => {
  if (!line.trim()) return;
  let id = null;
  try {
    const req = JSON.parse(line);
    id = req.id ?? null;
    const fn = COMMANDS[req.cmd];
    if (!fn) throw new Error("unknown command " + req.cmd);
    process.stdout.write(stringify({ id, ok: true, result: fn(req) }) + "\n");
  } catch (e) {
    process.stdout.write(stringify({ id, ok: false, error: String(e && e.message ? e.message : e), stack: e && e.stack }) + "\n");
  }
});
