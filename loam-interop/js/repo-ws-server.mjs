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
import { docCommands, serveJsonLines } from "./repo-docs.mjs";

const dir = process.argv[2];
const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
await new Promise(resolve => wss.on("listening", resolve));
const repo = new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "storage-server-interop",
  sharePolicy: async () => false,
});
const docs = docCommands(repo);
process.stdout.write(JSON.stringify({ port: wss.address().port }) + "\n");

serveJsonLines(async req => {
  switch (req.cmd) {
    case "createBlob": {
      // a document whose sync message is far larger than one socket read: reassembly
      const blob = new Uint8Array(Number(req.size));
      for (let i = 0; i < blob.length; i++) blob[i] = (i * 31 + 7) & 0xff;
      return docs.created(repo.create({ items: ["blob"], blob }));
    }
    case "quit":
      await repo.flush();
      setTimeout(() => process.exit(0), 10);
      return { ok: true };
    default: {
      const result = await docs.run(req);
      if (result === null) throw new Error("unknown command " + req.cmd);
      return result;
    }
  }
});
