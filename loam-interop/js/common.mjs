// Shared helpers for the Loam interop driver: a seeded PRNG, conversion of Automerge values to
// plain JSON (Automerge JS `toJS`, made printable) and a JSON writer that keeps BigInts exact.
import * as A from "@automerge/automerge";

/** sfc32 seeded through splitmix32: small, fast and good enough for test generation. */
export class Rng {
  constructor(seed) {
    let s = (Number(seed) >>> 0) ^ 0x9e3779b9;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next(); this.b = next(); this.c = next(); this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32() {
    let t = (this.a + this.b) >>> 0;
    t = (t + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t >>> 0;
  }
  /** Uniform integer in [0, n). */
  int(n) { return n <= 0 ? 0 : Math.floor((this.u32() / 4294967296) * n); }
  /** Uniform integer in [lo, hi]. */
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  chance(p) { return this.u32() / 4294967296 < p; }
  pick(arr) { return arr[this.int(arr.length)]; }
  hex(nBytes) {
    let s = "";
    for (let i = 0; i < nBytes; i++) s += this.int(256).toString(16).padStart(2, "0");
    return s;
  }
  shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  }
}

export const toHex = (bytes) => Buffer.from(bytes).toString("hex");
export const fromHex = (hex) => new Uint8Array(Buffer.from(hex, "hex"));

/** An Automerge value (as `materialize`, `get` or patches return it) as plain JSON, like `toJS` printed. */
export function plain(v) {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  if (v instanceof Date) return isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString("base64");
  if (A.isCounter(v)) return v.value;
  if (A.isImmutableString(v)) return v.val;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) out[k] = plain(v[k]);
    return out;
  }
  throw new Error("cannot convert value " + String(v));
}

/** JSON text in which BigInts are written as exact decimal digits. */
export function stringify(v) {
  return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? { __bigint: x.toString() } : x))
    .replace(/\{"__bigint":"(-?\d+)"\}/g, "$1");
}

/** Sorts `ctr@actor` ids in Automerge's OpId order: counter, then actor bytes. */
export function compareOpIds(a, b) {
  const [ca, aa] = a.split("@");
  const [cb, ab] = b.split("@");
  const d = Number(ca) - Number(cb);
  if (d !== 0) return d;
  return aa < ab ? -1 : aa > ab ? 1 : 0;
}

/** A full value from `getWithType`/`getAll` as {type, value, id?}, with the value plain. */
export function typed(full) {
  const [type, value, id] = full;
  if (type === "map" || type === "list" || type === "text" || type === "table") {
    return { type, value: value, id: value };
  }
  return { type, value: typedScalar(type, value), id };
}

function typedScalar(type, value) {
  switch (type) {
    case "f64": return f64String(value);
    case "timestamp": return value instanceof Date ? value.getTime() : Number(value);
    case "bytes": return toHex(value);
    case "counter": return typeof value === "object" && value !== null ? value.value : value;
    case "str": return typeof value === "object" && value !== null ? value.val : value;
    case "uint": return BigInt(value);
    default: return value;
  }
}

/** An f64 as a string that Java's Double.parseDouble reads back exactly (keeps -0, NaN, ±Infinity). */
export function f64String(x) {
  return Object.is(x, -0) ? "-0" : String(x);
}

/** Every object reachable from `obj` (depth first), as {id, type}. */
export function objects(h, heads, obj = "/", type = "map", out = []) {
  out.push({ id: obj, type });
  if (type === "text") return out;
  const props = type === "map" || type === "table" ? h.keys(obj, heads) : range(h.length(obj, heads));
  for (const p of props) {
    const v = h.getWithType(obj, p, heads);
    if (v && (v[0] === "map" || v[0] === "list" || v[0] === "text")) objects(h, heads, v[1], v[0], out);
  }
  return out;
}

export const range = (n) => Array.from({ length: n }, (_, i) => i);

/** The document (or its state at `heads`) as plain JSON. */
export function docJson(h, heads) {
  return plain(h.materialize("/", heads));
}
