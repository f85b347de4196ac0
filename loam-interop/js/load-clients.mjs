// Load driver (issue 10): many stock automerge-repo 2.5.6 Repos (in memory, the stock
// WebSocketClientAdapter) in this one Node process type concurrently into a few documents through
// a sync server, then wait until every client has every change.
//   node js/load-clients.mjs <wsUrl> <clients> <docs> <changesPerClient> <maxSeconds> <retryMs>
// Client i types into document i % docs: one character per change, a change every 25 ms, at most
// changesPerClient changes and at most maxSeconds. Prints JSON lines on stdout:
//   {"event":"ready","urls":[...]}                  every client has every document
//   {"event":"progress","changes":n}                every 100 changes (all clients together)
//   {"event":"typed","changes":n,"ms":t}            the burst is over
//   {"event":"done","converged":bool,"convergeMs":t,"docs":[{url,heads,length,typed}],
//    "laggards":[...],"errors":[...],"received":{...},"sent":{...}}
// "converged" means every client and a fresh client that joins after the burst have the same
// heads for every document, and each document holds every character typed into it. "errors" are
// uncaught exceptions and unhandled rejections (a crashed client); "received" counts what the
// clients got from the server by type, with "syncEmpty" (sync messages carrying no change);
// "sent" what they sent. Exits after "done".
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import * as A from "@automerge/automerge";

const [wsUrl, nClients, nDocs, perClient, maxSeconds, retryMs] = process.argv.slice(2);
const clients = Number(nClients), docs = Number(nDocs), changesPerClient = Number(perClient);
const out = obj => process.stdout.write(JSON.stringify(obj) + "\n");
const sleep = ms => new Promise(r => setTimeout(r, ms));
// automerge-repo logs caught failures with console.log: keep stdout for the JSON lines
console.log = (...args) => console.error(...args);

const errors = [];
const note = e => { if (errors.length < 20) errors.push(String(e?.stack ?? e).slice(0, 400)); };
process.on("uncaughtException", note);
process.on("unhandledRejection", note);

const received = { total: 0, sync: 0, syncEmpty: 0, other: 0 };
const sent = { total: 0 };
function client() {
  const adapter = new WebSocketClientAdapter(wsUrl, Number(retryMs));
  adapter.on("message", msg => {
    received.total++;
    if (msg.type === "sync" || msg.type === "request") {
      received.sync++;
      try { if (A.decodeSyncMessage(msg.data).changes.length === 0) received.syncEmpty++; } catch { /* counted */ }
    } else {
      received.other++;
    }
  });
  const send = adapter.send.bind(adapter);
  adapter.send = m => { sent.total++; return send(m); };
  return new Repo({ network: [adapter] });
}

async function until(pred, ms) {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) return false;
    await sleep(50);
  }
  return true;
}

async function main() {
const repos = Array.from({ length: clients }, client);
if (!(await until(() => repos.every(r => r.peers.length > 0), 20000))) throw new Error("clients did not connect");
const created = Array.from({ length: docs }, () => repos[0].create({ text: "" }));
const urls = created.map(h => h.url);
// handles[c][d]: client c's handle of document d
const handles = [created];
// the creator announces its documents to the server on its own time: a find before that is unavailable
const find = async (r, u) => {
  for (let attempt = 1; ; attempt++) {
    try { return await r.find(u); } catch (e) { if (attempt >= 50) throw e; await sleep(100); }
  }
};
for (const r of repos.slice(1)) {
  handles.push(await Promise.all(urls.map(u => find(r, u))));
}
out({ event: "ready", urls });

const typed = new Array(docs).fill(0);
let total = 0;
const start = Date.now();
const deadline = start + Number(maxSeconds) * 1000;
await Promise.all(repos.map(async (r, c) => {
  const d = c % docs;
  for (let i = 0; i < changesPerClient && Date.now() < deadline; i++) {
    try {
      handles[c][d].change(doc => { A.splice(doc, ["text"], 0, 0, String.fromCharCode(97 + c % 26)); });
      typed[d]++;
      if (++total % 100 === 0) out({ event: "progress", changes: total });
    } catch (e) {
      note(e);
      break; // this client crashed
    }
    await sleep(25); // a steady typist: the same rate whatever the server, so runs compare
  }
}));
out({ event: "typed", changes: total, ms: Date.now() - start });

const heads = h => JSON.stringify([...h.heads()].sort());
const settledAt = Date.now();
const converged = await until(() => urls.every((u, d) => {
  const want = heads(handles[0][d]);
  return handles.every(hs => heads(hs[d]) === want) && handles[0][d].doc().text.length === typed[d];
}), 60000);
const convergeMs = Date.now() - settledAt;
const laggards = [];
for (let c = 0; c < clients; c++) {
  for (let d = 0; d < docs; d++) {
    const len = handles[c][d].doc().text.length;
    if (len !== typed[d]) laggards.push({ client: c, doc: d, length: len, typed: typed[d] });
  }
}
const counted = { received: { ...received }, sent: { ...sent } };
// a client that joins now sees what the server has
const fresh = new Repo({ network: [new WebSocketClientAdapter(wsUrl, Number(retryMs))] });
await until(() => fresh.peers.length > 0, 20000);
const report = [];
let serverAgrees = true;
for (let d = 0; d < docs; d++) {
  const h = await find(fresh, urls[d]);
  const same = await until(() => heads(h) === heads(handles[0][d]), 20000);
  serverAgrees &&= same;
  report.push({ url: urls[d], heads: [...handles[0][d].heads()].sort(), serverHeads: [...h.heads()].sort(),
    length: handles[0][d].doc().text.length, typed: typed[d] });
}
out({ event: "done", converged: converged && serverAgrees, convergeMs, docs: report, laggards: laggards.slice(0, 20),
  errors, received: counted.received, sent: counted.sent });
setTimeout(() => process.exit(0), 10);
}

main().catch(e => { console.error(e?.stack ?? String(e)); process.exit(1); });
