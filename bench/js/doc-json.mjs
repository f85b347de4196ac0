// node doc-json.mjs FILE
// The JS side of bench/cold: what `loam doc json FILE` does, in @automerge/automerge. Loads an
// Automerge file (verified, as A.load does) and prints the document as one line of JSON.
import * as A from "@automerge/automerge";
import { readFileSync } from "node:fs";

const doc = A.load(new Uint8Array(readFileSync(process.argv[2])));
process.stdout.write(JSON.stringify(A.toJS(doc)) + "\n");
