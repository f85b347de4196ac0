// Sync-server interop driver (issue 6): stock automerge-repo 2.5.6 Repos with the WebSocket client
// adapter talk to a Loam server.
//   node js/server-clients.mjs converge <wsUrl> <edits>   two repos: A creates, B finds by URL, both edit
//                                                        concurrently; prints {url, a, b} (heads, json)
//   node js/server-clients.mjs write <wsUrl>             creates a doc, prints {"url"}, then appends to
//                                                        d.items forever, printing {"acked": n} each time the
//                                                        server sends a sync message whose heads include item n-1,
//                                                        and {"disconnected": true} when the server's socket ends
//   node js/server-clients.mjs read <wsUrl> <url> <n>    finds the doc, waits (20 s at most) until it has n
//                                                        items, prints {heads, items}
//   node js/server-clients.mjs find <wsUrl> <url>        finds the doc once; prints {"unavailable": true} if the
//                                                        server says it is unavailable, else {"json": doc}
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import * as A from "@automerge/automerge";

const [cmd, wsUrl, arg1] = process.argv.slice(2);
const out = obj => process.stdout.write(JSON.stringify(obj) + "\n");
const sleep = ms => new Promise(r => setTimeout(r, ms));

function repo() {
  return new Repo({ network: [new WebSocketClientAdapter(wsUrl)] });
}

async function until(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

async function converge(edits) {
  const ra = repo();
  const rb = repo();
  await until(() => ra.peers.length > 0 && rb.peers.length > 0, "both repos to see the server");
  const ha = ra.create({ title: "made in js", a: [], b: [] });
  // B finds it through the server (A announces it to the server, B asks the server); a find
  // before A's announcement reached the server is unavailable, so B asks again
  const hb = await findRetrying(rb, ha.url);
  await hb.whenReady();
  for (let i = 0; i < edits; i++) {
    ha.change(d => { d.a.push(i); d.last = "a" + i; });
    hb.change(d => { d.b.push(i); d.last = "b" + i; });
    await sleep(5);
  }
  const same = () => JSON.stringify([...ha.heads()].sort()) === JSON.stringify([...hb.heads()].sort());
  await until(() => same() && ha.doc().a.length === edits && hb.doc().b.length === edits
      && ha.doc().b.length === edits && hb.doc().a.length === edits, "convergence");
  out({ url: ha.url, a: { heads: [...ha.heads()].sort(), json: ha.doc() }, b: { heads: [...hb.heads()].sort(), json: hb.doc() } });
  ra.shutdown?.(); rb.shutdown?.();
  process.exit(0);
}

async function write() {
  const adapter = new WebSocketClientAdapter(wsUrl);
  const r = new Repo({ network: [adapter] });
  await until(() => r.peers.length > 0, "the server");
  const h = r.create({ items: [] });
  out({ url: h.url });
  // once the socket has ended, every acknowledgement the server sent has been read
  adapter.on("peer-disconnected", () => out({ disconnected: true }));
  let acked = 0;
  adapter.on("message", msg => {
    if ((msg.type !== "sync" && msg.type !== "request") || msg.documentId !== h.documentId) return;
    let heads;
    try { heads = A.decodeSyncMessage(msg.data).heads; } catch { return; }
    const doc = h.doc();
    if (!heads.every(x => A.getChangeByHash ? A.getChangeByHash(doc, x) : true)) return;
    let n;
    try { n = A.view(doc, heads).items.length; } catch { return; }
    if (n > acked) { acked = n; out({ acked }); }
  });
  for (let i = 0; ; i++) {
    h.change(d => { d.items.push(i); });
    await sleep(3);
  }
}

async function findRetrying(r, url) {
  for (let attempt = 1; ; attempt++) {
    try { return await r.find(url); } catch (e) { if (attempt >= 50) throw e; await sleep(100); }
  }
}

async function read(url, atLeast) {
  const r = repo();
  await until(() => r.peers.length > 0, "the server");
  const h = await r.find(url);
  await h.whenReady();
  // the first sync may bring part of the history: wait for the items expected (or report fewer)
  try { await until(() => h.doc().items.length >= atLeast, atLeast + " items"); } catch { /* reported below */ }
  out({ heads: [...h.heads()].sort(), items: h.doc().items.length });
  process.exit(0);
}

async function find(url) {
  const r = repo();
  await until(() => r.peers.length > 0, "the server");
  try {
    const h = await r.find(url);
    await h.whenReady();
    out({ json: h.doc() });
  } catch (e) {
    if (!/unavailable/i.test(String(e?.message ?? e))) throw e;
    out({ unavailable: true });
  }
  process.exit(0);
}

const main = { converge: () => converge(Number(arg1 ?? "20")), write, read: () => read(arg1, Number(process.argv[5] ?? "0")),
  find: () => find(arg1) }[cmd];
main().catch(e => { console.error(e?.stack ?? String(e)); process.exit(1); });
