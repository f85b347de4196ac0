// End-to-end tests of Loam Notes in headless Chromium (playwright-core driving the machine's
// chromium; it never downloads a browser), against a real `loam serve` and the `loam` command line.
//
//   node e2e/notes.e2e.mjs --loam PATH/TO/loam --work DIR [--shots DIR] [--chromium /usr/bin/chromium]
//
// Runs every check in order (later ones build on the note the first creates), prints one line per
// check ("ok - …" or "not ok - …" with the reason) and exits 1 if one fails. The server is started
// with --port 0, then restarted on the port it got, so that the pages reconnect to it. Waits are
// for conditions, each with a deadline; nothing sleeps a fixed time.
import { chromium } from "playwright-core"
import { spawn, execFile } from "node:child_process"
import { createServer } from "node:http"
import { mkdirSync } from "node:fs"
import { join, resolve } from "node:path"
import { parseArgs } from "node:util"

const { values: opts } = parseArgs({
  options: {
    loam: { type: "string" },
    work: { type: "string" },
    shots: { type: "string" },
    chromium: { type: "string", default: process.env.LOAM_CHROMIUM ?? "/usr/bin/chromium" },
  },
})
if (!opts.loam || !opts.work) {
  console.error("usage: node e2e/notes.e2e.mjs --loam PATH/TO/loam --work DIR [--shots DIR] [--chromium PATH]")
  process.exit(2)
}
const LOAM = resolve(opts.loam)
const WORK = resolve(opts.work)
const CLI_DATA = join(WORK, "cli")
const WAIT = 20_000

// ---------------------------------------------------------------- the server and the command line

class Server {
  constructor() {
    this.port = 0
    this.proc = null
  }

  async start() {
    const args = ["serve", "--port", String(this.port), "--data", join(WORK, "server"), "--quiet"]
    const proc = spawn(LOAM, args, { stdio: ["ignore", "pipe", "pipe"] })
    let err = ""
    proc.stderr.on("data", d => { err += d })
    this.proc = proc
    this.exited = new Promise(resolve => proc.on("exit", resolve))
    const line = await new Promise((resolve, reject) => {
      let out = ""
      const timer = setTimeout(() => reject(new Error(`loam serve did not start within ${WAIT} ms: ${err}`)), WAIT)
      proc.stdout.on("data", d => {
        out += d
        const m = /^loam serve: ws:\/\/127\.0\.0\.1:(\d+) /m.exec(out)
        if (m) {
          clearTimeout(timer)
          resolve(m)
        }
      })
      proc.on("exit", code => reject(new Error(`loam serve exited with ${code}: ${err}`)))
    })
    this.port = Number(line[1])
  }

  /** SIGTERM and wait for the process to end (it stores everything and closes every socket). */
  async stop() {
    this.proc.kill("SIGTERM")
    await withDeadline(this.exited, WAIT, "loam serve to stop")
    this.proc = null
  }

  get http() {
    return `http://localhost:${this.port}/`
  }
}

function loam(...args) {
  return new Promise((resolve, reject) => {
    execFile(LOAM, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`loam ${args.join(" ")} failed: ${error.message}\n${stderr}`))
      } else {
        resolve(stdout)
      }
    })
  })
}

function withDeadline(promise, ms, what) {
  let timer
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms) }),
  ])
}

// ---------------------------------------------------------------- the browser

const browser = await chromium.launch({
  executablePath: opts.chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
})

/** A window of its own (its own IndexedDB and localStorage, as another device), named `name`. */
async function window_(name) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 640 } })
  await context.addInitScript(n => {
    if (!localStorage.getItem("loam-notes:name")) {
      localStorage.setItem("loam-notes:name", n)
    }
  }, name)
  const page = await context.newPage()
  page.on("pageerror", e => console.log(`# ${name}: page error: ${e.message}`))
  page.on("console", m => {
    if (m.type() === "error" && !/Failed to load resource|WebSocket connection to/.test(m.text())) {
      console.log(`# ${name}: console error: ${m.text()}`)
    }
  })
  return { name, context, page }
}

const editor = page => page.getByTestId("editor")
const status = page => page.getByTestId("status")

async function waitFor(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: WAIT, polling: 50 })
  } catch (e) {
    throw new Error(`${what}: ${e.message.split("\n")[0]}`)
  }
}

async function waitEditorHas(page, text) {
  await waitFor(page, `editor to show "${text}"`,
    t => document.querySelector('[data-testid="editor"]')?.textContent.includes(t), text)
}

async function waitStatus(page, state) {
  await waitFor(page, `status "${state}"`,
    s => document.querySelector('[data-testid="status"]')?.textContent === s, state)
}

/** The open note as automerge-repo holds it in this page: { title, body, spans }. */
async function noteOf(page) {
  return page.evaluate(async () => {
    const { repo, Automerge: A, current } = window.loamNotes
    const doc = (await repo.find(current())).doc()
    return { title: String(doc.title), body: doc.body, spans: JSON.stringify(A.spans(doc, ["body"])) }
  })
}

async function typeAtEnd(page, text) {
  await editor(page).click()
  await page.keyboard.press("Control+End")
  await page.keyboard.type(text)
}

async function shot(page, name, fullPage = false) {
  if (opts.shots) {
    mkdirSync(opts.shots, { recursive: true })
    await page.screenshot({ path: join(opts.shots, name), fullPage })
  }
}

/** Both windows side by side in one picture, for the README. */
async function shotPair(a, b, name) {
  if (!opts.shots) {
    return
  }
  const [left, right] = [await a.page.screenshot(), await b.page.screenshot()]
  const pair = await browser.newPage({ viewport: { width: 2220, height: 640 } })
  const src = buf => `data:image/png;base64,${buf.toString("base64")}`
  await pair.setContent(`<body style="margin:0;background:#8a8a8a;display:flex;gap:20px">
    <img src="${src(left)}"><img src="${src(right)}"></body>`)
  await pair.waitForFunction(() => [...document.images].every(i => i.complete))
  await shot(pair, name)
  await pair.close()
}

// ---------------------------------------------------------------- the checks

const checks = []
const check = (name, fn) => checks.push({ name, fn })
const server = new Server()
let url = null
let a, b

check("the server serves the app at GET / and window A creates a note whose URL is the page's hash", async () => {
  await server.start()
  a = await window_("Ada")
  await a.page.goto(server.http)
  await waitStatus(a.page, "online")
  await a.page.getByTestId("new-note").click()
  await waitFor(a.page, "an automerge: hash", () => location.hash.startsWith("#automerge:"))
  url = decodeURIComponent(new URL(a.page.url()).hash.slice(1))
  await a.page.getByTestId("title").fill("Groceries")
  await typeAtEnd(a.page, "Apples and pears")
  await waitFor(a.page, "the note in the list",
    () => [...document.querySelectorAll('[data-testid="note-list"] [data-testid="note"]')].some(li => li.textContent === "Groceries"))
})

check("window B opens the note's address and sees A's text; keystrokes in A appear in B and B's in A", async () => {
  b = await window_("Grace")
  await b.page.goto(server.http + "#" + url)
  await waitEditorHas(b.page, "Apples and pears")
  await typeAtEnd(a.page, ", typed live")
  await waitEditorHas(b.page, "Apples and pears, typed live")
  await typeAtEnd(b.page, " (and Grace)")
  await waitEditorHas(a.page, "typed live (and Grace)")
  if (await b.page.getByTestId("title").inputValue() !== "Groceries") {
    throw new Error("B shows another title: " + await b.page.getByTestId("title").inputValue())
  }
})

check("presence: each window lists the other and draws the other's cursor", async () => {
  await waitFor(a.page, "Grace in A's presence list",
    () => [...document.querySelectorAll('[data-testid="peer"]')].some(p => p.textContent === "Grace"))
  await waitFor(b.page, "Ada in B's presence list",
    () => [...document.querySelectorAll('[data-testid="peer"]')].some(p => p.textContent === "Ada"))
  await editor(b.page).click()
  await waitFor(a.page, "Grace's cursor in A's editor",
    () => !!document.querySelector('[data-testid="editor"] [data-testid="remote-cursor"][data-name="Grace"]'))
  await editor(a.page).click()
  await shotPair(a, b, "notes-two-windows.png")
})

check("bold applied in A shows bold in B", async () => {
  await editor(a.page).click()
  await a.page.keyboard.press("Control+Home")
  await a.page.keyboard.press("Shift+Control+ArrowRight") // the word "Apples"
  await a.page.keyboard.press("Control+b")
  await waitFor(b.page, "bold \"Apples\" in B",
    () => [...document.querySelectorAll('[data-testid="editor"] strong')].some(s => s.textContent.trim() === "Apples"))
  const spans = JSON.parse((await noteOf(b.page)).spans)
  if (!spans.some(s => s.type === "text" && s.value.includes("Apples") && s.marks?.strong === true)) {
    throw new Error("B's Automerge text has no strong mark on Apples: " + JSON.stringify(spans))
  }
})

check("a second window of the same browser (shared IndexedDB and list) joins the note too", async () => {
  const page = await a.context.newPage()
  await page.goto(server.http + "#" + url)
  await waitEditorHas(page, "(and Grace)")
  await typeAtEnd(page, " [second tab]")
  await waitEditorHas(a.page, "[second tab]")
  await waitEditorHas(b.page, "[second tab]")
  await page.close()
})

check("a JVM client's edit (loam repo edit --splice /body, then loam sync) appears in the browser", async () => {
  await waitStatus(a.page, "online")
  const server_ = `ws://127.0.0.1:${server.port}`
  await loam("sync", url, "--server", server_, "--data", CLI_DATA)
  const body = JSON.parse(await loam("repo", "cat", url, "--data", CLI_DATA)).body
  await loam("repo", "edit", url, "--data", CLI_DATA, "--splice", "/body", String(body.length), "0", " + milk from the JVM", "--message", "loam CLI")
  await loam("sync", url, "--server", server_, "--data", CLI_DATA)
  await waitEditorHas(a.page, "+ milk from the JVM")
  await waitEditorHas(b.page, "+ milk from the JVM")
})

check("a browser edit reaches the JVM: loam sync, then loam repo cat shows it", async () => {
  await typeAtEnd(b.page, " / bread, typed in B")
  await waitStatus(b.page, "online")
  await loam("sync", url, "--server", `ws://127.0.0.1:${server.port}`, "--data", CLI_DATA)
  const doc = JSON.parse(await loam("repo", "cat", url, "--data", CLI_DATA))
  if (!doc.body.includes("/ bread, typed in B") || doc.title !== "Groceries") {
    throw new Error("loam repo cat shows " + JSON.stringify(doc))
  }
  const inBrowser = await noteOf(b.page)
  if (doc.body !== inBrowser.body) {
    throw new Error(`loam repo cat ${JSON.stringify(doc.body)} differs from the browser's ${JSON.stringify(inBrowser.body)}`)
  }
})

check("both windows offline (server stopped) edit; once it is back both hold identical text", async () => {
  // The app's files must be in the service worker's cache before the server goes away.
  for (const w of [a, b]) {
    await w.page.evaluate(() => navigator.serviceWorker.ready.then(() => true))
  }
  await server.stop()
  await waitStatus(a.page, "offline")
  await waitStatus(b.page, "offline")
  await typeAtEnd(a.page, " [A offline]")
  await editor(b.page).click()
  await b.page.keyboard.press("Control+Home")
  await b.page.keyboard.type("[B offline] ")
  await shotPair(a, b, "notes-offline.png")
  await server.start()
  await waitStatus(a.page, "online")
  await waitStatus(b.page, "online")
  for (const w of [a, b]) {
    await waitEditorHas(w.page, "[A offline]")
    await waitEditorHas(w.page, "[B offline]")
  }
  const [na, nb] = [await noteOf(a.page), await noteOf(b.page)]
  if (na.body !== nb.body || na.spans !== nb.spans) {
    throw new Error(`the windows differ after the merge:\nA ${na.spans}\nB ${nb.spans}`)
  }
  const [ta, tb] = [await editor(a.page).textContent(), await editor(b.page).textContent()]
  if (ta !== tb) {
    throw new Error(`the editors show different text:\nA ${ta}\nB ${tb}`)
  }
})

check("a reload with the server stopped shows the note from IndexedDB", async () => {
  const before = await noteOf(a.page)
  await server.stop()
  await a.page.reload()
  await waitStatus(a.page, "offline")
  await waitEditorHas(a.page, "[A offline]")
  const after = await noteOf(a.page)
  if (after.spans !== before.spans) {
    throw new Error(`the reloaded note differs:\nbefore ${before.spans}\nafter  ${after.spans}`)
  }
  await server.start()
  await waitStatus(a.page, "online")
})

check("history: an earlier version shows its text and restores as a new change, which B receives", async () => {
  const count = () => a.page.locator('[data-testid="version"]').count()
  await a.page.getByTestId("history").click()
  await waitFor(a.page, "versions listed", () => document.querySelectorAll('[data-testid="version"]').length > 1)
  const versions = await count()
  await a.page.locator('[data-testid="version"][data-index="0"]').click()
  await waitFor(a.page, "the first version in the history view",
    () => /Apples/.test(document.querySelector('[data-testid="history-body"]')?.textContent)
      && !/milk/.test(document.querySelector('[data-testid="history-body"]')?.textContent))
  const old = await a.page.getByTestId("history-body").textContent()
  await shot(a.page, "notes-history.png", true)
  await a.page.getByTestId("history-restore").click()
  await waitFor(b.page, "the restored version in B",
    t => document.querySelector('[data-testid="editor"]')?.textContent === t, old)
  await waitEditorHas(a.page, old)
  if (await editor(a.page).textContent() !== old) {
    throw new Error(`A shows ${await editor(a.page).textContent()} after restoring ${old}`)
  }
  await waitFor(a.page, "the restore as a new version", n => document.querySelectorAll('[data-testid="version"]').length > n, versions)
  await a.page.getByTestId("history").click()
})

check("a page of another origin cannot open the WebSocket; the app's own origin can", async () => {
  const other = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" })
    res.end("<!doctype html><title>another site</title>")
  })
  await new Promise(resolve => other.listen(0, "127.0.0.1", resolve))
  try {
    const probe = target => new Promise(resolve => {
      const ws = new WebSocket(target)
      ws.onopen = () => { ws.close(); resolve("open") }
      ws.onclose = e => resolve(`closed ${e.code}`)
    })
    const target = `ws://localhost:${server.port}/`
    const page = await a.context.newPage()
    await page.goto(`http://127.0.0.1:${other.address().port}/`)
    const foreign = await page.evaluate(probe, target)
    await page.close()
    const own = await a.page.evaluate(probe, target)
    if (foreign === "open" || own !== "open") {
      throw new Error(`another origin's page: ${foreign}; the app's own page: ${own}`)
    }
  } finally {
    other.close()
  }
})

check("a note removed from the list leaves the list and the page", async () => {
  await a.page.getByTestId("new-note").click()
  await waitFor(a.page, "a second note", u => location.hash.startsWith("#automerge:") && decodeURIComponent(location.hash.slice(1)) !== u, url)
  const scratch = decodeURIComponent(new URL(a.page.url()).hash.slice(1))
  await a.page.getByTestId("title").fill("Scratch")
  const entry = a.page.locator(`[data-testid="note"][data-url="${scratch}"]`)
  await waitFor(a.page, "Scratch in the list",
    () => [...document.querySelectorAll('[data-testid="note"]')].some(li => li.textContent === "Scratch"))
  await entry.hover()
  await entry.getByTestId("remove-note").click()
  await waitFor(a.page, "Scratch gone from the list and the page", u =>
    !document.querySelector(`[data-testid="note"][data-url="${u}"]`) && location.hash === "", scratch)
  await a.page.goto(server.http + "#" + url)
  await waitEditorHas(a.page, "Apples")
})

// ---------------------------------------------------------------- run

let failed = 0
const started = Date.now()
console.log(`1..${checks.length}`) // the plan: how many "ok" lines a passing run prints
try {
  for (const { name, fn } of checks) {
    const t0 = Date.now()
    try {
      await fn()
      console.log(`ok - ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`not ok - ${name}\n# ${String(e.stack ?? e).split("\n").join("\n# ")}`)
      break // the later checks build on this one
    }
  }
} finally {
  await browser.close()
  if (server.proc) {
    await server.stop().catch(() => server.proc?.kill("SIGKILL"))
  }
}
console.log(`# ${failed ? "FAILED" : "passed"}: ${failed ? "a check failed" : `${checks.length} checks`} in ${Date.now() - started} ms`)
process.exit(failed ? 1 : 0)
