// Presence: who else has this note open and where their cursor is, over automerge-repo's ephemeral
// messages (DocHandle.broadcast, relayed by the server, never stored). Cursors travel as Automerge
// cursors, which name a character rather than an offset, so they stay put while others type.
import { Automerge as A } from "@automerge/automerge-repo/slim"
import { Plugin, PluginKey } from "prosemirror-state"
import { Decoration, DecorationSet } from "prosemirror-view"
import { pmRangeToAmRange, amSpliceIdxToPmIdx } from "@automerge/prosemirror/dist/traversal.js"

const KIND = "loam-notes/presence"
const HEARTBEAT_MS = 2000
const EXPIRE_MS = 7000
const key = new PluginKey("loam-presence")

/** A plugin that draws the carets and selections it is given through a transaction's meta. */
export function presencePlugin() {
  const plugin = new Plugin({
    key,
    state: {
      init: () => DecorationSet.empty,
      apply(tr, set) {
        const next = tr.getMeta(key)
        return next ? DecorationSet.create(tr.doc, next) : set.map(tr.mapping, tr.doc)
      },
    },
    props: { decorations: state => key.getState(state) },
  })
  return { plugin }
}

export function startPresence({ handle, me, view, adapter, path, list }) {
  const peers = new Map() // session -> { name, color, anchor, head, seen }
  let lastSent = ""
  let heartbeat

  function cursorOf(doc, pmPos) {
    const spans = A.spans(doc, path)
    const { start } = pmRangeToAmRange(adapter, spans, { from: pmPos, to: pmPos })
    const length = A.spans(doc, path).reduce((n, s) => n + (s.type === "text" ? s.value.length : 1), 0)
    return A.getCursor(doc, path, Math.min(Math.max(start ?? 0, 0), length))
  }

  function positionOf(doc, cursor) {
    const idx = A.getCursorPosition(doc, path, cursor)
    const pos = amSpliceIdxToPmIdx(adapter, A.spans(doc, path), idx)
    return Math.min(Math.max(pos ?? 1, 0), view.state.doc.content.size)
  }

  function send(force) {
    const doc = handle.doc()
    let cursor = null
    if (view.hasFocus()) {
      try {
        const { anchor, head } = view.state.selection
        cursor = { anchor: cursorOf(doc, anchor), head: cursorOf(doc, head) }
      } catch (e) {
        cursor = null // a position the text cannot name yet; the next update sends it
      }
    }
    const message = { kind: KIND, session: me.session, name: me.name, color: me.color, cursor }
    const text = JSON.stringify(message)
    if (force || text !== lastSent) {
      lastSent = text
      handle.broadcast(message)
    }
  }

  function onMessage({ message }) {
    if (!message || message.kind !== KIND || message.session === me.session) {
      return
    }
    if (message.leaving) {
      peers.delete(message.session)
    } else {
      peers.set(message.session, { ...message, seen: Date.now() })
    }
    redraw()
  }

  function redraw() {
    const now = Date.now()
    for (const [session, p] of peers) {
      if (now - p.seen > EXPIRE_MS) {
        peers.delete(session)
      }
    }
    const doc = handle.doc()
    const decorations = []
    for (const p of peers.values()) {
      if (!p.cursor) {
        continue
      }
      let anchor, head
      try {
        anchor = positionOf(doc, p.cursor.anchor)
        head = positionOf(doc, p.cursor.head)
      } catch (e) {
        continue // the cursor names a character we have not received yet
      }
      const caret = document.createElement("span")
      caret.className = "remote-caret"
      caret.style.borderColor = p.color
      caret.dataset.testid = "remote-cursor"
      caret.dataset.name = p.name
      caret.style.setProperty("--peer", p.color) // the name shows through CSS, outside the text
      decorations.push(Decoration.widget(head, caret, { key: `${p.session}:${head}:${p.name}:${p.color}`, side: -1 }))
      if (anchor !== head) {
        decorations.push(Decoration.inline(Math.min(anchor, head), Math.max(anchor, head),
          { class: "remote-selection", style: `background: ${p.color}33` }))
      }
    }
    view.dispatch(view.state.tr.setMeta(key, decorations).setMeta("addToHistory", false))
    renderList()
  }

  function renderList() {
    const chips = [chip(`${me.name} (you)`, me.color, true)]
    for (const p of peers.values()) {
      chips.push(chip(p.name, p.color, false))
    }
    list.replaceChildren(...chips)
  }

  function chip(name, color, self) {
    const el = document.createElement("span")
    el.className = "peer" + (self ? " self" : "")
    el.dataset.testid = "peer"
    el.style.setProperty("--peer", color)
    el.textContent = name
    return el
  }

  const onChange = () => queueMicrotask(() => { if (peers.size) redraw() })
  handle.on("ephemeral-message", onMessage)
  handle.on("change", onChange)
  heartbeat = setInterval(() => { send(true); redraw() }, HEARTBEAT_MS)
  send(true)
  renderList()

  return {
    selectionChanged() {
      send(false)
    },
    close() {
      clearInterval(heartbeat)
      handle.off("ephemeral-message", onMessage)
      handle.off("change", onChange)
      handle.broadcast({ kind: KIND, session: me.session, leaving: true })
      list.replaceChildren()
    },
  }
}
