// The stock automerge-repo sync server, as its README sets it up, for `bench/server-load`:
// a JS Repo with WebSocketServerAdapter, NodeFS storage and `sharePolicy: async () => false`.
//   node js/sync-server.mjs <port> <dataDir>
// Listens on 127.0.0.1 only, prints {"port": N, "pid": P} once listening, runs until killed.
import { Repo } from "@automerge/automerge-repo";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket";
import { WebSocketServer } from "ws";

const [port, dir] = process.argv.slice(2);
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(port ?? 0) });
await new Promise(resolve => wss.on("listening", resolve));
new Repo({
  network: [new WebSocketServerAdapter(wss)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "js-sync-server",
  sharePolicy: async () => false,
});
process.stdout.write(JSON.stringify({ port: wss.address().port, pid: process.pid }) + "\n");
