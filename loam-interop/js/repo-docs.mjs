// What the JS repo drivers (repo-ws-server.mjs, repo-ws-client.mjs) share: the commands on one
// `{items: [...]}` document held by a Repo, and the JSON-lines request loop.
import * as A from "@automerge/automerge";
import * as readline from "node:readline";

/** The document commands on `repo`: create, find, append, splice, increment, heads, state; null for any other command. */
export function docCommands(repo) {
  const handles = new Map();
  const heads = doc => [...A.getHeads(doc)].sort();
  async function handleOf(documentId) {
    if (!handles.has(documentId)) {
      handles.set(documentId, await repo.find("automerge:" + documentId));
    }
    return handles.get(documentId);
  }
  function created(h) {
    handles.set(h.documentId, h);
    return { documentId: h.documentId };
  }
  return {
    created,
    async run(req) {
      switch (req.cmd) {
        case "create":
          return created(repo.create({ items: [req.text] }));
        case "find":
          await handleOf(req.documentId);
          return { ok: true };
        case "append": {
          const h = await handleOf(req.documentId);
          h.change(d => { d.items.push(req.text); });
          return { heads: heads(h.doc()) };
        }
        case "heads":
          return { heads: heads((await handleOf(req.documentId)).doc()) };
        case "splice": {
          // splice {documentId, key, index, del, text}: edits the text at a root key as a typist would
          const h = await handleOf(req.documentId);
          h.change(d => { A.splice(d, [req.key], Number(req.index), Number(req.del), req.text); });
          return { heads: heads(h.doc()) };
        }
        case "increment": {
          // increment {documentId, key, by}: adds to the counter at a root key
          const h = await handleOf(req.documentId);
          h.change(d => { d[req.key].increment(Number(req.by)); });
          return { heads: heads(h.doc()) };
        }
        case "state": {
          const doc = (await handleOf(req.documentId)).doc();
          return { heads: heads(doc), json: JSON.parse(JSON.stringify(doc)) };
        }
        default:
          return null;
      }
    },
  };
}

/** Answers each request line {id, cmd, ...} with {id, ...result} or {id, error}, one at a time, in order. */
export function serveJsonLines(run) {
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
}
