// Loam Notes: a list of notes and a rich-text editor per note, on the stock automerge-repo with
// the browser WebSocket client adapter (to the server that served this page) and IndexedDB
// storage (so notes open offline and survive reloads).
//
// Test hooks (stable): the open note's automerge: URL is location.hash; opening #automerge:… opens
// that note; data-testid new-note, note-list, note, editor, status.
import { Repo, isValidAutomergeUrl, initializeWasm, Automerge as A } from "@automerge/automerge-repo/slim"
import { WebSocketClientAdapter } from "@automerge/automerge-repo-network-websocket"
import { IndexedDBStorageAdapter } from "@automerge/automerge-repo-storage-indexeddb"
import wasmFile from "@automerge/automerge/automerge.wasm"
import "./app.css"
import { openNote } from "./note.js"
import { watchStatus } from "./status.js"
import { myIdentity } from "./identity.js"

const LIST_KEY = "loam-notes:list"

// The app's files stay available offline (the notes are in IndexedDB).
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(e => console.warn("Loam Notes: no offline copy of the app", e))
}

const wasm = await fetch(new URL(wasmFile, import.meta.url))
await initializeWasm(new Uint8Array(await wasm.arrayBuffer()))

const socketUrl = new URL("/", location.href)
socketUrl.protocol = location.protocol === "https:" ? "wss:" : "ws:"
const network = new WebSocketClientAdapter(socketUrl.href, 2000)
const repo = new Repo({
  network: [network],
  storage: new IndexedDBStorageAdapter("loam-notes"),
})

const me = myIdentity()
const nameInput = document.getElementById("my-name")
nameInput.value = me.name
nameInput.addEventListener("change", () => me.rename(nameInput.value))

const list = await openList()
let current = null // { url, close() }
let opening = 0
const titleHandles = new Map() // url -> handle, for the titles in the list

const status = watchStatus(repo, network, document.querySelector('[data-testid="status"]'))
status.track(list)

document.getElementById("new-note").addEventListener("click", () => {
  const handle = repo.create()
  handle.change(d => {
    d.title = ""
    d.body = ""
  }, { message: me.name })
  addToList(handle.url)
  location.hash = handle.url
})

window.addEventListener("hashchange", route)
// Others see this window leave at once rather than when its presence expires.
window.addEventListener("pagehide", () => {
  current?.close()
  current = null
})
window.addEventListener("pageshow", e => { if (e.persisted) route() }) // back from the page cache
list.on("change", renderList)
renderList()
await route()

/** The list document (its URL kept in localStorage), created on first use. */
async function openList() {
  const saved = localStorage.getItem(LIST_KEY)
  if (saved && isValidAutomergeUrl(saved)) {
    try {
      return await repo.find(saved)
    } catch (e) {
      console.warn("Loam Notes: the list of notes is unavailable, starting a new one", e)
    }
  }
  const handle = repo.create({ notes: [] })
  localStorage.setItem(LIST_KEY, handle.url)
  return handle
}

function addToList(url) {
  if (!list.doc().notes.includes(url)) {
    list.change(d => { d.notes.push(url) }, { message: me.name })
  }
}

function renderList() {
  const ul = document.getElementById("note-list")
  const urls = list.doc().notes
  ul.replaceChildren(...urls.map(url => {
    const li = document.createElement("li")
    li.dataset.testid = "note"
    li.dataset.url = url
    li.tabIndex = 0
    li.textContent = titleOf(url)
    li.classList.toggle("active", current?.url === url)
    li.addEventListener("click", () => { location.hash = url })
    li.addEventListener("keydown", e => { if (e.key === "Enter") location.hash = url })
    // Its label comes from CSS, so that the entry's text is the note's title alone.
    const remove = document.createElement("button")
    remove.type = "button"
    remove.className = "remove"
    remove.dataset.testid = "remove-note"
    remove.title = "Remove from this list (the note itself stays, at its address)"
    remove.setAttribute("aria-label", "Remove from the list")
    remove.addEventListener("click", e => {
      e.stopPropagation()
      list.change(d => {
        const i = d.notes.indexOf(url)
        if (i >= 0) {
          d.notes.splice(i, 1)
        }
      }, { message: me.name })
      if (current?.url === url) {
        location.hash = ""
      }
    })
    li.append(remove)
    return li
  }))
}

function titleOf(url) {
  let handle = titleHandles.get(url)
  if (!handle) {
    titleHandles.set(url, "loading")
    repo.find(url).then(h => {
      titleHandles.set(url, h)
      h.on("change", renderList)
      renderList()
    }, () => titleHandles.delete(url))
    return "…"
  }
  if (handle === "loading") {
    return "…"
  }
  const title = handle.doc()?.title
  return (title == null ? "" : String(title)).trim() || "Untitled"
}

async function route() {
  const target = decodeURIComponent(location.hash.slice(1))
  if (current?.url === target) {
    return
  }
  const token = ++opening
  current?.close()
  current = null
  status.untrack()
  const pane = document.getElementById("note-pane")
  const empty = document.getElementById("empty-pane")
  if (!isValidAutomergeUrl(target)) {
    pane.hidden = true
    empty.hidden = false
    renderList()
    return
  }
  let handle
  try {
    handle = await repo.find(target)
  } catch (e) {
    if (token === opening) {
      pane.hidden = true
      empty.hidden = false
      empty.querySelector("p").textContent = `The note ${target} is not on this device and the server does not have it (${e.message ?? e}).`
    }
    return
  }
  if (token !== opening) {
    return
  }
  addToList(target)
  empty.hidden = true
  pane.hidden = false
  current = { url: target, ...openNote({ handle, me, pane }) }
  status.track(handle)
  renderList()
}

// For people's own automation and for debugging in the console.
window.loamNotes = { repo, list, Automerge: A, current: () => current?.url ?? null }
