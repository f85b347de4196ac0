// Random edit scripts, generated from a seed and executed with @automerge/automerge's low-level
// (wasm) API. A script is data: Java replays exactly the same calls through Loam.
//
// Op shapes (obj is an object id such as "_root" or "5@aabb..", indexes are UTF-16 units for text):
//   {op:"put", obj, key|index, value}            {op:"putObject", obj, key|index, type, result}
//   {op:"insert", obj, index, value}             {op:"insertObject", obj, index, type, result}
//   {op:"delete", obj, key|index}                {op:"increment", obj, key|index, by}
//   {op:"splice", obj, index, del, values}       {op:"spliceText", obj, index, del, text}
//   {op:"mark", obj, start, end, name, value, expand}   {op:"unmark", obj, start, end, name, expand}
// A value is {t, v}: t one of str int uint f64 bool null bytes timestamp counter; f64 v is a
// string Double.parseDouble reads (also "NaN", "-0"), bytes v is hex, timestamp v is milliseconds.
import * as A from "@automerge/automerge";
import { fromHex, objects, f64String, toHex } from "./common.mjs";

const KEYS = ["a", "b", "c", "title", "n", "ü", "k😀"];
const CHARS = ["a", "b", "c", "d", "e", " ", "é", "ß", "中", "😀", "🌍", "👍🏽", "\n", "x"];
const MARK_NAMES = ["bold", "em", "link", "comment"];
const EXPANDS = ["before", "after", "both", "none"];
const SCALAR_TYPES = ["str", "int", "uint", "f64", "bool", "null", "bytes", "timestamp", "counter"];

export const ROOT = "_root";

export function newDoc(actor) {
  return A.getBackend(A.init({ actor }));
}

function randomText(rng, max) {
  let s = "";
  const n = rng.range(0, max);
  for (let i = 0; i < n; i++) s += rng.pick(CHARS);
  return s;
}

export function randomScalar(rng, t = rng.pick(SCALAR_TYPES)) {
  switch (t) {
    case "str": return { t, v: randomText(rng, 4) };
    case "int": return { t, v: rng.pick([0, 1, -1, 42, -64, 127, 128, -129, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 - 1, -(2 ** 53 - 1), rng.range(-100000, 100000)]) };
    case "uint": return { t, v: rng.pick([0, 1, 127, 128, 2 ** 32, 2 ** 53 - 1, rng.range(0, 1000000)]) };
    case "f64": return { t, v: f64String(rng.pick([0, -0, 1, 1.5, -2.25, 0.1, 1e21, 1e-7, NaN, Infinity, -Infinity, Math.PI, 2 ** 53, rng.range(-1000, 1000) / 8])) };
    case "bool": return { t, v: rng.chance(0.5) };
    case "null": return { t };
    case "bytes": return { t, v: rng.hex(rng.range(0, 4)) };
    case "timestamp": return { t, v: rng.pick([0, -1000000, 1700000000123, rng.range(-4e12, 4e12)]) };
    case "counter": return { t, v: rng.pick([0, 5, -3, rng.range(-1000, 1000)]) };
  }
  throw new Error("unknown scalar type " + t);
}

/** [jsValue, datatype] for the wasm API. */
export function toWasm(val) {
  switch (val.t) {
    case "str": return [val.v, "str"];
    case "int": return [val.v, "int"];
    case "uint": return [val.v, "uint"];
    case "f64": return [Number(val.v === "-0" ? -0 : Number(val.v)), "f64"];
    case "bool": return [val.v, "boolean"];
    case "null": return [null, "null"];
    case "bytes": return [fromHex(val.v), "bytes"];
    case "timestamp": return [new Date(val.v), "timestamp"];
    case "counter": return [val.v, "counter"];
  }
  throw new Error("unknown scalar type " + val.t);
}

/** A value read back with getWithType, as a script value (null for objects). */
function fromFull(full) {
  const [type, value] = full;
  switch (type) {
    case "str": return { t: "str", v: typeof value === "object" ? value.val : value };
    case "int": return { t: "int", v: Number(value) };
    case "uint": return { t: "uint", v: Number(value) };
    case "f64": return { t: "f64", v: f64String(value) };
    case "boolean": return { t: "bool", v: value };
    case "null": return { t: "null" };
    case "bytes": return { t: "bytes", v: toHex(value) };
    case "timestamp": return { t: "timestamp", v: value.getTime() };
    case "counter": return { t: "counter", v: typeof value === "object" ? value.value : value };
    default: return null;
  }
}

const prop = (op) => (op.key !== undefined ? op.key : op.index);
const objInit = (type) => (type === "map" ? {} : type === "list" ? [] : "");

/** Executes one script op on a wasm handle; fills in `result` for object creation. */
export function execute(h, op) {
  switch (op.op) {
    case "put": { const [v, dt] = toWasm(op.value); h.put(op.obj, prop(op), v, dt); break; }
    case "putObject": op.result = h.putObject(op.obj, prop(op), objInit(op.type)); break;
    case "insert": { const [v, dt] = toWasm(op.value); h.insert(op.obj, op.index, v, dt); break; }
    case "insertObject": op.result = h.insertObject(op.obj, op.index, objInit(op.type)); break;
    case "delete": h.delete(op.obj, prop(op)); break;
    case "increment": h.increment(op.obj, prop(op), op.by); break;
    case "splice": {
      // The wasm splice types plain JS values itself, so scripts only splice numbers, bools,
      // nulls and strings.
      h.splice(op.obj, op.index, op.del, op.values.map((x) => toWasm(x)[0]));
      // wasm's splice types 0 and negative integers as f64 (positive ones as int): record the
      // types JS actually wrote, so the script Java replays says what JS did.
      op.values = op.values.map((x, i) => fromFull(h.getWithType(op.obj, op.index + i)));
      break;
    }
    case "spliceText": h.splice(op.obj, op.index, op.del, op.text); break;
    case "mark": {
      const [v, dt] = toWasm(op.value);
      h.mark(op.obj, { start: op.start, end: op.end, expand: op.expand }, op.name, v, dt);
      break;
    }
    case "unmark": h.unmark(op.obj, { start: op.start, end: op.end, expand: op.expand }, op.name); break;
    default: throw new Error("unknown op " + op.op);
  }
}

/** Chooses one random op that is valid on the current state of `h`. */
export function randomOp(rng, h) {
  const objs = objects(h, undefined, ROOT, "map");
  const canCreate = objs.length < 10;
  // Favour nested objects over the root so lists, text and counters get their share of edits.
  const target = objs.length > 1 && rng.chance(0.75) ? objs[1 + rng.int(objs.length - 1)] : objs[0];
  const obj = target.id;
  if (target.type === "map") {
    const key = rng.pick(KEYS);
    const cur = h.getWithType(obj, key);
    const r = rng.int(100);
    if (cur && cur[0] === "counter" && r < 50) return { op: "increment", obj, key, by: rng.range(-5, 10) };
    if (cur && fromFull(cur) && r < 38) return { op: "put", obj, key, value: fromFull(cur) };
    if (r < 60) return { op: "put", obj, key, value: randomScalar(rng, rng.chance(0.2) ? "counter" : undefined) };
    if (r < 80 && canCreate) return { op: "putObject", obj, key, type: rng.pick(["map", "list", "text", "text"]) };
    if (r < 92) return { op: "delete", obj, key };
    return { op: "put", obj, key, value: randomScalar(rng) };
  }
  if (target.type === "list") {
    const len = h.length(obj);
    const r = rng.int(100);
    if (len > 0) {
      const index = rng.int(len);
      const cur = h.getWithType(obj, index);
      if (cur && cur[0] === "counter" && r < 20) return { op: "increment", obj, index, by: rng.range(-5, 10) };
      if (r < 30) return { op: "put", obj, index, value: cur && fromFull(cur) && rng.chance(0.3) ? fromFull(cur) : randomScalar(rng) };
      if (r < 40) return { op: "delete", obj, index };
      if (r < 48 && canCreate) return { op: "putObject", obj, index, type: rng.pick(["map", "list", "text"]) };
      if (r < 65) {
        const del = rng.range(0, Math.min(3, len - index));
        const values = [];
        for (let i = rng.range(0, 3); i > 0; i--) values.push(randomScalar(rng, rng.pick(["int", "bool", "null", "str"])));
        return { op: "splice", obj, index, del, values };
      }
    }
    if (r < 70 && canCreate) return { op: "insertObject", obj, index: rng.range(0, len), type: rng.pick(["map", "list", "text"]) };
    return { op: "insert", obj, index: rng.range(0, len), value: randomScalar(rng) };
  }
  // text
  const len = h.length(obj);
  const r = rng.int(100);
  if (r < 55 || len === 0) {
    const index = rng.range(0, len);
    const del = rng.chance(0.4) ? rng.range(0, Math.min(3, len - index)) : 0;
    return { op: "spliceText", obj, index, del, text: randomText(rng, 5) };
  }
  const start = rng.range(0, len);
  const end = rng.range(start, len);
  const name = rng.pick(MARK_NAMES);
  const expand = rng.pick(EXPANDS);
  if (r < 85) {
    const value = rng.chance(0.1) ? { t: "null" } : randomScalar(rng, rng.pick(["bool", "str", "int", "uint", "f64"]));
    return { op: "mark", obj, start, end, name, value, expand };
  }
  return { op: "unmark", obj, start, end, name, expand };
}

/**
 * Runs a random multi-actor history. Returns the steps (changes with their ops, merges) with what
 * JS produced at each, and the live handles.
 */
export function randomHistory(rng, { actors, steps, maxOps, onStep }) {
  const docs = actors.map(newDoc);
  const out = [];
  let time = 1700000000 + rng.int(100000);
  for (let s = 0; s < steps; s++) {
    if (docs.length > 1 && rng.chance(0.25)) {
      const into = rng.int(docs.length);
      let from = rng.int(docs.length - 1);
      if (from >= into) from++;
      docs[into].merge(docs[from]);
      out.push({ kind: "merge", into, from, heads: docs[into].getHeads() });
    } else {
      const doc = rng.int(docs.length);
      const h = docs[doc];
      const ops = [];
      const n = rng.range(1, maxOps);
      for (let i = 0; i < n; i++) {
        const op = randomOp(rng, h);
        try {
          execute(h, op);
        } catch (e) {
          throw new Error(`JS rejected generated op ${JSON.stringify(op)}: ${e.message}`);
        }
        ops.push(op);
      }
      time += rng.int(4) === 0 ? 0 : rng.range(1, 5000);
      const message = rng.chance(0.3) ? null : `change ${s}`;
      const t = rng.chance(0.05) ? 0 : time;
      const hash = h.commit(message, t);
      const change = hash ? toHex(h.getLastLocalChange()) : null;
      out.push({ kind: "change", doc, message, time: t, ops, hash, change, heads: h.getHeads() });
    }
    if (onStep) onStep(docs, out[out.length - 1]);
  }
  return { docs, steps: out };
}
