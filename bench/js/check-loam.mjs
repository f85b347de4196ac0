// node check-loam.mjs SAVED.automerge TRACE HEADS
// Loads a document Loam saved into @automerge/automerge and checks its text equals the trace's
// endContent and its heads equal Loam's (comma-separated hex). Prints one JSON object.
import * as A from "@automerge/automerge";
import { readFileSync } from "node:fs";
import { readTrace } from "./trace.mjs";

const [file, tracePath, heads] = process.argv.slice(2);
const t = readTrace(tracePath);
const doc = A.load(new Uint8Array(readFileSync(file)));
const textOk = doc.text === t.endContent;
const amHeads = A.getHeads(doc).slice().sort();
const headsOk = JSON.stringify(amHeads) === JSON.stringify(heads.split(",").sort());
console.log(JSON.stringify({ trace: t.name, file, textOk, headsOk, heads: amHeads.join(",") }));
process.exit(textOk && headsOk ? 0 : 1);
