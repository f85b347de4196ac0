// The sync interop driver: one long-lived node process per Java test class, speaking the same
// JSON-lines protocol as driver.mjs ({id, cmd, ...} in, {id, ok, result|error} out). It holds one
// JS sync peer at a time, which talks to a Loam peer through the Java test, and measures what two
// JS peers need for the same starting documents. Diagnostics go to stderr.
import * as A from "@automerge/automerge";
import { createInterface } from "node:readline";
import { Rng, docJson, fromHex, stringify, toHex } from "./common.mjs";

const CHARS = "abcdefghijklmnopqrstuvwxyz ";

/** n small changes on a wasm handle: root puts, text splices, list inserts. */
function edit(h, rng, n, time) {
  for (let i = 0; i < n; i++) {
    const kind = rng.int(3);
    const text = h.getWithType("_root", "text");
    const list = h.getWithType("_root", "list");
    if (kind === 1 && text && text[0] === "text") {
      const len = h.length(text[1]);
      const at = rng.int(len + 1);
      h.splice(text[1], at, at < len && rng.int(4) === 0 ? 1 : 0, CHARS[rng.int(CHARS.length)]);
    } else if (kind === 2 && list && list[0] === "list") {
      h.insert(list[1], rng.int(h.length(list[1]) + 1), rng.int(1000), "int");
    } else {
      h.put("_root", "k" + rng.int(30), rng.int(1000000), "int");
    }
    h.commit(null, time + i);
  }
}

function base(rng) {
  const h = A.getBackend(A.init({ actor: rng.hex(16) }));
  const text = h.putObject("_root", "text", "");
  h.splice(text, 0, 0, "hello");
  h.putObject("_root", "list", []);
  h.commit(null, 1700000000);
  return h;
}

function fork(h, rng) {
  return h.fork(rng.hex(16));
}

/** Two starting documents for a seed: [scenario, a, b] as wasm handles. */
function scenario(seed) {
  const rng = new Rng(seed);
  const t = 1700000000;
  switch (seed % 5) {
    case 0: { // one side empty
      const a = base(rng);
      edit(a, rng, rng.range(1, 200), t);
      const b = A.getBackend(A.init({ actor: rng.hex(16) }));
      return rng.chance(0.5) ? ["one empty", a, b] : ["one empty", b, a];
    }
    case 1: { // disjoint histories
      const a = base(rng);
      const b = base(rng);
      edit(a, rng, rng.range(0, 100), t);
      edit(b, rng, rng.range(0, 100), t);
      return ["disjoint", a, b];
    }
    case 2: { // thousands of changes, long concurrent branches
      const a = base(rng);
      edit(a, rng, seed % 3 === 0 ? 1000 : 300, t);
      const b = fork(a, rng);
      edit(a, rng, rng.range(0, seed % 3 === 0 ? 1500 : 300), t + 10000);
      edit(b, rng, rng.range(0, seed % 3 === 0 ? 1500 : 300), t + 10000);
      return ["long branches", a, b];
    }
    default: { // short concurrent branches from a common ancestor
      const a = base(rng);
      edit(a, rng, rng.range(0, 100), t);
      const b = fork(a, rng);
      edit(a, rng, rng.range(0, 60), t + 10000);
      edit(b, rng, rng.range(0, 60), t + 10000);
      return ["branches", a, b];
    }
  }
}

/** Runs two JS peers until both stop; `first` is 0 when peer a speaks first. */
function jsSession(aBytes, bBytes, first) {
  const docs = [A.load(aBytes), A.load(bBytes)];
  const states = [A.initSyncState(), A.initSyncState()];
  const order = first === 0 ? [0, 1] : [1, 0];
  let messages = 0;
  let bytes = 0;
  for (;;) {
    let sent = false;
    for (const p of order) {
      const [s, m] = A.generateSyncMessage(docs[p], states[p]);
      states[p] = s;
      if (m) {
        sent = true;
        messages++;
        bytes += m.length;
        const q = 1 - p;
        const [d, s2] = A.receiveSyncMessage(docs[q], states[q], m);
        docs[q] = d;
        states[q] = s2;
      }
    }
    if (!sent) break;
    if (messages > 10000) throw new Error("JS peers did not stop");
  }
  const h = A.getBackend(docs[0]);
  return { messages, bytes, heads: h.getHeads(), json: docJson(h), equal: A.equals(docs[0], docs[1]) };
}

let peer = null; // { doc, state }

function setup({ seed, loamFirst }) {
  const [name, a, b] = scenario(Number(seed));
  const aBytes = a.save();
  const bBytes = b.save();
  // peer a is the JS peer, peer b the Loam peer; JS↔JS runs the same two documents in the same order
  const jsjs = jsSession(aBytes, bBytes, loamFirst ? 1 : 0);
  peer = { doc: A.load(aBytes), state: A.initSyncState() };
  return { scenario: name, b: toHex(bBytes), aChanges: a.getChanges([]).length, bChanges: b.getChanges([]).length, jsjs };
}

function generate() {
  const [s, m] = A.generateSyncMessage(peer.doc, peer.state);
  peer.state = s;
  return { hex: m ? toHex(m) : null };
}

function receive({ hex }) {
  const [d, s] = A.receiveSyncMessage(peer.doc, peer.state, fromHex(hex));
  peer.doc = d;
  peer.state = s;
  return {};
}

function result() {
  const h = A.getBackend(peer.doc);
  return { heads: h.getHeads(), json: docJson(h), syncState: toHex(A.encodeSyncState(peer.state)) };
}

const COMMANDS = { ping: () => ({}), setup, generate, receive, result };

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
