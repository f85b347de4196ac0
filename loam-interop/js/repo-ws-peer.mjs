// Peer and presence interop driver (issue 15): a stock automerge-repo 2.5.6 Repo (in memory) with
// the stock WebSocketClientAdapter, connected to a listening Loam repo (no server), driven by JSON
// lines on stdin. Values named *Json are JSON text.
//   node js/repo-ws-peer.mjs <wsUrl>
// First prints {"ready": true, "peerId"} once the Loam repo is a peer; then answers {id, cmd, ...}:
//   create/find/append/heads/state                 as repo-ws-client.mjs (see repo-docs.mjs)
//   broadcast {documentId, messageJson}            -> {ok}      handle.broadcast(message)
//   ephemeral {documentId}                         -> {received: [{senderId, message}]} heard so far
//   presence-start {documentId, stateJson, heartbeatMs}
//   presence-broadcast {documentId, channel, valueJson}
//   presence-states {documentId}                   -> {states: {peerId: value}}
//   presence-events {documentId}                   -> {events: [{type, peerId}]}
//   presence-stop {documentId}                     -> {ok}      says goodbye
//   quit                                           -> exits
import { Repo, Presence } from "@automerge/automerge-repo";
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket";
import { docCommands, serveJsonLines } from "./repo-docs.mjs";

const wsUrl = process.argv[2];
const sleep = ms => new Promise(r => setTimeout(r, ms));
const repo = new Repo({ network: [new WebSocketClientAdapter(wsUrl, 200)] });
const docs = docCommands(repo);
const received = new Map(); // documentId -> [{senderId, message}]
const presences = new Map(); // documentId -> {presence, events}

async function handleOf(documentId) {
  const h = await repo.find("automerge:" + documentId);
  if (!received.has(documentId)) {
    received.set(documentId, []);
    h.on("ephemeral-message", e => received.get(documentId).push({ senderId: e.senderId, message: e.message }));
  }
  return h;
}

const end = Date.now() + 20000;
while (repo.peers.length === 0) {
  if (Date.now() > end) throw new Error("timed out waiting for the Loam peer");
  await sleep(20);
}
process.stdout.write(JSON.stringify({ ready: true, peerId: repo.peerId }) + "\n");
serveJsonLines(async req => {
  switch (req.cmd) {
    case "broadcast":
      (await handleOf(req.documentId)).broadcast(JSON.parse(req.messageJson));
      return { ok: true };
    case "ephemeral":
      await handleOf(req.documentId);
      return { received: received.get(req.documentId) };
    case "presence-start": {
      const presence = new Presence({ handle: await handleOf(req.documentId) });
      const events = [];
      for (const type of ["snapshot", "update", "heartbeat", "goodbye"]) {
        presence.on(type, e => events.push({ type, peerId: e.peerId }));
      }
      presence.start({ initialState: JSON.parse(req.stateJson), heartbeatMs: Number(req.heartbeatMs) });
      presences.set(req.documentId, { presence, events });
      return { ok: true };
    }
    case "presence-broadcast":
      presences.get(req.documentId).presence.broadcast(req.channel, JSON.parse(req.valueJson));
      return { ok: true };
    case "presence-states": {
      const states = {};
      for (const [peerId, s] of Object.entries(presences.get(req.documentId).presence.getPeerStates().value)) {
        states[peerId] = s.value;
      }
      return { states };
    }
    case "presence-events":
      return { events: presences.get(req.documentId).events };
    case "presence-stop":
      presences.get(req.documentId).presence.stop();
      return { ok: true };
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
