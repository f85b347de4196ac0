// One adapter per library, all driven the same way by replay.mjs. Positions are UTF-16 indices
// (= code points: every trace is BMP-only). Text lives in one text object named "text".
import * as A from "@automerge/automerge";
import * as Y from "yjs";
import { LoroDoc } from "loro-crdt";

const amActor = (agent) => (agent + 1).toString(16).padStart(32, "0");
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export const automerge = {
  name: "automerge",
  version: "3.5.0",
  // Same actor bytes and change time (0) as Loam's TraceReplay, so both record the same history.
  replay(t, mode) {
    let doc = A.init({ actor: amActor(0) });
    if (mode === "single") {
      return A.change(doc, { time: 0 }, (d) => {
        d.text = "";
        for (const txn of t.txns) for (const [pos, del, ins] of txn.patches) A.splice(d, ["text"], pos, del, ins);
      });
    }
    doc = A.change(doc, { time: 0 }, (d) => { d.text = ""; });
    for (const txn of t.txns) {
      doc = A.change(doc, { time: 0 }, (d) => {
        for (const [pos, del, ins] of txn.patches) A.splice(d, ["text"], pos, del, ins);
      });
    }
    return doc;
  },
  concurrent(t) {
    const docs = [];
    docs[0] = A.change(A.init({ actor: amActor(0) }), { time: 0 }, (d) => { d.text = ""; });
    const root = A.getLastLocalChange(docs[0]);
    for (let a = 1; a < t.numAgents; a++) [docs[a]] = A.applyChanges(A.init({ actor: amActor(a) }), [root]);
    return {
      docs,
      apply(a, changes) { [docs[a]] = A.applyChanges(docs[a], changes); },
      edit(a, patches) {
        docs[a] = A.change(docs[a], { time: 0 }, (d) => {
          for (const [pos, del, ins] of patches) A.splice(d, ["text"], pos, del, ins);
        });
        return A.getLastLocalChange(docs[a]);
      },
      result(a) { return docs[a]; },
    };
  },
  text: (doc) => doc.text,
  changes: (doc) => A.getAllChanges(doc).length,
  version: (doc) => A.getHeads(doc),
  save: (doc) => A.save(doc),
  load: (bytes) => A.load(bytes),
  sameVersion: (a, b) => same(A.getHeads(a), A.getHeads(b)),
  syncEmptyPeer(full) {
    let s1 = A.initSyncState(), s2 = A.initSyncState(), peer = A.init({ actor: "ee" }), messages = 0;
    for (let round = 0; round < 1000; round++) {
      let m, sent = false;
      [s1, m] = A.generateSyncMessage(full, s1);
      if (m) { [peer, s2] = A.receiveSyncMessage(peer, s2, m); messages++; sent = true; }
      [s2, m] = A.generateSyncMessage(peer, s2);
      if (m) { [full, s1] = A.receiveSyncMessage(full, s1, m); messages++; sent = true; }
      if (!sent) return { peer, messages };
    }
    throw new Error("sync did not stop");
  },
};

function yEdit(text, patches) {
  for (const [pos, del, ins] of patches) {
    if (del) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
}

export const yjs = {
  name: "yjs",
  replay(t, mode) {
    const doc = new Y.Doc();
    doc.clientID = 1;
    const text = doc.getText("text");
    if (mode === "single") {
      doc.transact(() => { for (const txn of t.txns) yEdit(text, txn.patches); });
    } else {
      for (const txn of t.txns) doc.transact(() => yEdit(text, txn.patches));
    }
    return doc;
  },
  concurrent(t) {
    const docs = [];
    let last = null;
    for (let a = 0; a < t.numAgents; a++) {
      docs[a] = new Y.Doc();
      docs[a].clientID = a + 1;
      docs[a].on("update", (u) => { last = u; });
    }
    return {
      docs,
      apply(a, updates) { for (const u of updates) Y.applyUpdate(docs[a], u); },
      edit(a, patches) {
        const text = docs[a].getText("text");
        docs[a].transact(() => yEdit(text, patches));
        return last;
      },
      result(a) { return docs[a]; },
    };
  },
  text: (doc) => doc.getText("text").toString(),
  changes: () => NaN,
  version: (doc) => Buffer.from(Y.encodeStateVector(doc)).toString("hex"),
  save: (doc) => Y.encodeStateAsUpdate(doc),
  load(bytes) { const d = new Y.Doc(); Y.applyUpdate(d, bytes); return d; },
  sameVersion: (a, b) => Buffer.from(Y.encodeStateVector(a)).equals(Buffer.from(Y.encodeStateVector(b))),
  // y-protocols sync: step 1 (state vector) and step 2 (the missing update) in both directions.
  syncEmptyPeer(full) {
    const peer = new Y.Doc();
    peer.clientID = 0xee;
    const sv1 = Y.encodeStateVector(peer);
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(full, sv1));
    const sv2 = Y.encodeStateVector(full);
    Y.applyUpdate(full, Y.encodeStateAsUpdate(peer, sv2));
    return { peer, messages: 4 };
  },
};

function loroEdit(text, patches) {
  for (const [pos, del, ins] of patches) {
    if (del) text.delete(pos, del);
    if (ins) text.insert(pos, ins);
  }
}

export const loro = {
  name: "loro",
  replay(t, mode) {
    const doc = new LoroDoc();
    doc.setPeerId(1);
    const text = doc.getText("text");
    for (const txn of t.txns) {
      loroEdit(text, txn.patches);
      if (mode !== "single") doc.commit();
    }
    doc.commit();
    return doc;
  },
  concurrent(t) {
    const docs = [];
    for (let a = 0; a < t.numAgents; a++) {
      docs[a] = new LoroDoc();
      docs[a].setPeerId(a + 1);
    }
    return {
      docs,
      apply(a, updates) { docs[a].importBatch(updates); },
      edit(a, patches) {
        const d = docs[a];
        const from = d.oplogVersion();
        loroEdit(d.getText("text"), patches);
        d.commit();
        return d.export({ mode: "update", from });
      },
      result(a) { return docs[a]; },
    };
  },
  text: (doc) => doc.getText("text").toString(),
  changes: (doc) => doc.getAllChanges ? [...doc.getAllChanges().values()].reduce((s, c) => s + c.length, 0) : NaN,
  version: (doc) => doc.frontiers(),
  save: (doc) => doc.export({ mode: "snapshot" }),
  // Loro imports a snapshot lazily; the text is materialised when first read (outside the timing).
  load: (bytes) => LoroDoc.fromSnapshot(bytes),
  sameVersion: (a, b) => same(a.frontiers(), b.frontiers()),
  syncEmptyPeer(full) {
    const peer = new LoroDoc();
    peer.setPeerId(0xee);
    peer.import(full.export({ mode: "update", from: peer.oplogVersion() }));
    full.import(peer.export({ mode: "update", from: full.oplogVersion() }));
    return { peer, messages: 2 };
  },
};

export const libs = { automerge, yjs, loro };
