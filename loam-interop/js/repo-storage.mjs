// Storage-folder interop driver (issue 6): a JS automerge-repo 2.5.6 Repo with the node-fs
// storage adapter opens, changes and flushes a folder that Loam also reads and writes.
//   node js/repo-storage.mjs create <dir> <steps>        new doc, <steps> flushed edits
//   node js/repo-storage.mjs edit <dir> <docId> <steps>   find the doc, <steps> flushed edits
// Prints one JSON line: {documentId, storageId, heads (hex, sorted), json}.
import { Repo } from "@automerge/automerge-repo";
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs";
import * as A from "@automerge/automerge";

const [cmd, dir, arg1, arg2] = process.argv.slice(2);

function edit(handle, i) {
  handle.change(d => {
    if (!d.items) d.items = [];
    d.items.push("js " + i);
    d.js = i;
    d.nested = { at: i, word: "w" + (i % 3) };
  });
}

async function main() {
  const repo = new Repo({ storage: new NodeFSStorageAdapter(dir), network: [] });
  let handle;
  let steps;
  if (cmd === "create") {
    handle = repo.create({ title: "from js" });
    steps = Number(arg1);
  } else if (cmd === "edit") {
    handle = await repo.find("automerge:" + arg1);
    steps = Number(arg2);
  } else {
    throw new Error("unknown command " + cmd);
  }
  for (let i = 0; i < steps; i++) {
    edit(handle, i);
    await repo.flush();
  }
  const doc = handle.doc();
  const out = {
    documentId: handle.documentId,
    storageId: await repo.storageId(),
    heads: [...A.getHeads(doc)].sort(),
    json: JSON.parse(JSON.stringify(doc)),
  };
  await repo.flush();
  await repo.shutdown();
  process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch(e => {
  process.stderr.write(String(e && e.stack || e) + "\n");
  process.exit(1);
});
