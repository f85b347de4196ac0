// WebSocket client interop driver (issue 6): a stock automerge-repo 2.5.6 Repo (in memory) with
// the stock WebSocketClientAdapter, connected to a sync server (here the Loam server), driven by
// JSON lines on stdin.
//   node js/repo-ws-client.mjs <wsUrl>
// First prints {"ready": true} once the server is a peer; then answers each request {id, cmd, ...}
// with {id, ...}:
//   create {text}             -> {documentId}   new doc {items: [text]}
//   find {documentId}         -> {ok}           await repo.find (throws if unavailable)
//   append {documentId, text} -> {heads}        push text onto items
//   splice {documentId, key, index, del, text} -> {heads}   Automerge.splice on the text at a root key
//   increment {documentId, key, by} -> {heads}  increments the counter at a root key
//   heads {documentId}        -> {heads}        hex, sorted
//   state {documentId}        -> {heads, json}
//   offline                   -> {peers}        removes the network adapter (closes the socket)
//   online                    -> {peers}        adds a fresh WebSocketClientAdapter, waits for the server
//   quit                      -> exits
import { Repo } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { docCommands, serveJsonLines } from "./repo-docs.mjs";

const wsUrl = process.argv[2];
const sleep = ms => new Promise(r => setTimeout(r, ms));
let adapter = new WebSocketClientAdapter(wsUrl, 200);
const repo = new Repo({ network: [adapter] });
const docs = docCommands(repo);

async function until(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await sleep(20);
  }
}

await until(() => repo.peers.length > 0, "the server");
process.stdout.write(JSON.stringify({ ready: true }) + "\n");
serveJsonLines(async req => {
  switch (req.cmd) {
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
    default: {
      const result = await docs.run(req);
      if (result === null) throw new Error("unknown command " + req.cmd);
      return result;
    }
  }
});
