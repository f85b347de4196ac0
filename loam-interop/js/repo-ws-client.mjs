// WebSocket client interop driver (issue 6): a stock automerge-repo 2.5.6 Repo (in memory) with
// the stock WebSocketClientAdapter, connected to a sync server (here the Loam server), driven by
// JSON lines on stdin.
//   node js/repo-ws-client.mjs <wsUrl>
// First prints {"ready": true} once the server is a peer; then answers each request {id, cmd, ...}
// with {id, ...}:
//   create {text}             -> {documentId}   new doc {items: [text]}
//   find {documentId}         -> {ok}           await repo.find (throws if unavailable)
//   append {documentId, text} -> {heads}        push text onto items
//   heads {documentId}        -> {heads}        hex, sorted
//   state {documentId}        -> {heads, json}
//   offline                   -> {peers}        removes the network adapter (closes the socket)
//   online                    -> {peers}        adds a fresh WebSocketClientAdapter, waits for the server
//   quit                      -> exits
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import * as A from "@automerge/automerge";
import * as readline from "node:readline";

const wsUrl = process.argv[2];
const sleep = ms => new Promise(r => setTimeout(r, ms));
let adapter = new WebSocketClientAdapter(wsUrl, 200);
const repo = new Repo({ network: [adapter] });
const handles = new Map();

async function until(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

function heads(doc) {
  return [...A.getHeads(doc)].sort();
}

async function handleOf(documentId) {
  if (!handles.has(documentId)) {
    handles.set(documentId, await repo.find("automerge:" + documentId));
  }
  return handles.get(documentId);
}

async function run(req) {
  switch (req.cmd) {
    case "create": {
      const h = repo.create({ items: [req.text] });
      handles.set(h.documentId, h);
      return { documentId: h.documentId };
    }
    case "find":
      await handleOf(req.documentId);
      return { ok: true };
    case "append": {
      const h = await handleOf(req.documentId);
      h.change(d => { d.items.push(req.text); });
      return { heads: heads(h.doc()) };
    }
    case "heads": {
      const h = await handleOf(req.documentId);
      return { heads: heads(h.doc()) };
    }
    case "state": {
      const h = await handleOf(req.documentId);
      const doc = h.doc();
      return { heads: heads(doc), json: JSON.parse(JSON.stringify(doc)) };
    }
    case "offline":
      repo.networkSubsystem.removeNetworkAdapter(adapter);
      await until(() => repo.peers.length === 0, "the server to be gone");
      return { peers: repo.peers };
    case "online":
      adapter = new WebSocketClientAdapter(wsUrl, 200);
      repo.networkSubsystem.addNetworkAdapter(adapter);
      await until(() => repo.peers.length > 0, "the server");
      return { peers: repo.peers };
    case "quit":
      setTimeout(() => process.exit(0), 10);
      return { ok: true };
    default:
      throw new Error("unknown command " + req.cmd);
  }
}

await until(() => repo.peers.length > 0, "the server");
process.stdout.write(JSON.stringify({ ready: true }) + "\n");
// one request at a time, in order
let queue = Promise.resolve();
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", line => {
  queue = queue.then(async () => {
    const req = JSON.parse(line);
    try {
      process.stdout.write(JSON.stringify({ id: req.id, ...(await run(req)) }) + "\n");
    } catch (e) {
      process.stdout.write(JSON.stringify({ id: req.id, error: String(e && e.stack || e) }) + "\n");
    }
  });
});
rl.on("close", () => queue.then(() => process.exit(0)));
