// A JS Automerge peer for `loam doc sync-stdio`: spawns the command and syncs a JS document with
// it over the command's stdin/stdout, each message framed by its length as an unsigned LEB128.
//
//   node js/sync-stdio-peer.mjs LAUNCHER LOAM_FILE JS_FILE
//
// LAUNCHER is ./loam, LOAM_FILE the file Loam syncs, JS_FILE the document this peer loads (it is
// not written). The peer sends its first message at once and answers each frame; once a frame
// from Loam names the same heads as ours and we have nothing to send, both hold the same changes:
// it closes Loam's stdin (ending the session), reads Loam's stdout to its end and waits for it to
// exit. Prints one JSON line: {exitCode, stderr, heads, json, sent, received}.
import * as A from "@automerge/automerge";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

const [launcher, loamFile, jsFile] = process.argv.slice(2);
let doc = A.load(new Uint8Array(readFileSync(jsFile)));
let state = A.initSyncState();
const child = spawn(launcher, ["doc", "sync-stdio", loamFile], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
child.stdin.on("error", () => {}); // Loam failed: its exit code tells
child.stderr.on("data", (d) => { stderr += d.toString("utf8"); });
let sent = 0;
let received = 0;
let ended = false;

function leb(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return Buffer.from(out);
}

function sendAll() {
  for (;;) {
    const [next, msg] = A.generateSyncMessage(doc, state);
    state = next;
    if (!msg) return;
    sent++;
    child.stdin.write(Buffer.concat([leb(msg.length), Buffer.from(msg)]));
  }
}

const sameHeads = (a, b) => a.length === b.length && [...a].sort().every((h, i) => h === [...b].sort()[i]);

let buf = Buffer.alloc(0);
child.stdout.on("data", (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    let len = 0, shift = 0, i = 0;
    for (;;) {
      if (i >= buf.length) return;
      const b = buf[i++];
      len += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (buf.length < i + len) return;
    const msg = new Uint8Array(buf.subarray(i, i + len));
    buf = buf.subarray(i + len);
    received++;
    if (ended) continue;
    const theirHeads = A.decodeSyncMessage(msg).heads;
    [doc, state] = A.receiveSyncMessage(doc, state, msg);
    sendAll();
    if (sameHeads(theirHeads, A.getHeads(doc))) {
      ended = true;
      child.stdin.end();
    }
  }
});

child.on("close", (code) => {
  process.stdout.write(JSON.stringify({
    exitCode: code, stderr, heads: [...A.getHeads(doc)].sort(), json: A.toJS(doc), sent, received,
  }) + "\n");
});

sendAll();
