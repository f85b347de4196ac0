// WebSocket interop driver (issue 6): the official sync-server setup — a JS automerge-repo 2.5.6
// Repo with WebSocketServerAdapter on a loopback port, NodeFS storage and
// `sharePolicy: async () => false` — driven by JSON lines on stdin.
//   node js/repo-ws-server.mjs <dataDir>
// First prints {"port": N}; then answers each request {id, cmd, ...} with {id, ...}:
//   create {text}           -> {documentId}       new doc {items: [text]}
//   createBlob {size}       -> {documentId}       new doc {items: ["blob"], blob: <size bytes>}
//   find {documentId}       -> {ok}               await repo.find (throws if unavailable)
//   append {documentId, text} -> {heads}          push text onto items
//   heads {documentId}      -> {heads}
//   state {documentId}      -> {heads, json}      heads hex sorted
//   quit                    -> exits after flush
import { Repo } from "@automerge/automerge-repo";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { WebSocketServer } from "ws";
import * as A from "@automerge/automerge";
import * as readline from "node:readline";

const dir = process.argv[2];
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise(resolve => wss.on("listening", resolve));
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "storage-server-interop",
  sharePolicy: async () => false,
});
const handles = new Map();
process.stdout.write(JSON.stringify({ port: wss.address().port }) + "\n");

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
    case "createBlob": {
      // a document whose sync message is far larger than one socket read: reassembly
      const blob = new Uint8Array(Number(req.size));
      for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + 7) & 0xff;
      const h = repo.create({ items: ["blob"], blob });
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
    case "quit":
      await repo.flush();
      setTimeout(() => process.exit(0), 10);
      return { ok: true };
    default:
      throw new Error("unknown command " + req.cmd);
  }
}

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async line => {
  const req = JSON.parse(line);
  try {
    process.stdout.write(JSON.stringify({ id: req.id, ...(await run(req)) }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id: req.id, error: String(e && e.stack || e) }) + "\n");
  }
});
rl.on("close", () => process.exit(0));
