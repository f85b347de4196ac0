// History: the note's versions, one per run of changes by one author with no pause over a minute,
// in causal order. A version is the state after its run and everything before it; the panel shows
// the note as of that version and can restore it as a new change (the body's text, marks and
// blocks, and the title), which keeps the history and merges with others' edits like any change.
import { Automerge as A } from "@automerge/automerge-repo/slim"
import { pmDocFromSpans } from "@automerge/prosemirror"
import { EditorState } from "prosemirror-state"
import { EditorView } from "prosemirror-view"

const PAUSE_SECONDS = 60

/** Groups the document's changes into versions: { author, start, end, count, heads }. */
export function versionsOf(doc) {
  const versions = []
  const heads = new Set()
  let run = null
  for (const bytes of A.getAllChanges(doc)) {
    const c = A.decodeChange(bytes)
    for (const d of c.deps) {
      heads.delete(d)
    }
    heads.add(c.hash)
    if (!run || run.actor !== c.actor || c.time - run.end > PAUSE_SECONDS) {
      run = { actor: c.actor, author: null, start: c.time, end: c.time, count: 0, heads: [] }
      versions.push(run)
    }
    // The app puts its user's name in each change's message; others' changes may carry none.
    run.author ??= c.message ? c.message.replace(/ \(restored version \d+\)$/, "") : null
    run.end = Math.max(run.end, c.time)
    run.count++
    run.heads = [...heads]
  }
  for (const v of versions) {
    v.author ??= `device ${v.actor.slice(0, 8)}`
  }
  return versions
}

export function openHistory({ handle, me, pane, adapter, path }) {
  const panel = pane.querySelector("#history")
  const toggle = pane.querySelector("#history-toggle")
  const slider = pane.querySelector("#history-slider")
  const label = pane.querySelector("#history-label")
  const listEl = pane.querySelector("#history-list")
  const viewHost = pane.querySelector("#history-view")
  const restore = pane.querySelector("#history-restore")
  let versions = []
  let selected = -1
  let followLatest = true
  let view = null
  let pending = null

  function refresh() {
    pending = null
    versions = versionsOf(handle.doc())
    slider.max = String(Math.max(versions.length - 1, 0))
    if (followLatest || selected >= versions.length) {
      selected = versions.length - 1
    }
    slider.value = String(selected)
    listEl.replaceChildren(...versions.map((v, i) => {
      const li = document.createElement("li")
      li.dataset.testid = "version"
      li.dataset.index = String(i)
      li.classList.toggle("selected", i === selected)
      li.textContent = `#${i + 1} · ${when(v.end)} · ${v.author} · ${v.count} change${v.count === 1 ? "" : "s"}`
      li.addEventListener("click", () => select(i))
      return li
    }).reverse())
    show()
  }

  function select(i) {
    selected = i
    followLatest = i === versions.length - 1
    refresh()
  }

  function show() {
    const v = versions[selected]
    view?.destroy()
    view = null
    viewHost.replaceChildren()
    if (!v) {
      label.textContent = "no versions yet"
      restore.disabled = true
      return
    }
    const old = A.view(handle.doc(), v.heads)
    const title = document.createElement("h3")
    title.textContent = old.title == null ? "" : String(old.title) || "Untitled"
    viewHost.append(title)
    const body = document.createElement("div")
    body.dataset.testid = "history-body"
    viewHost.append(body)
    const spans = typeof old.body === "string" ? A.spans(old, path) : []
    view = new EditorView(body, {
      state: EditorState.create({ doc: pmDocFromSpans(adapter, spans) }),
      editable: () => false,
      attributes: { class: "editor readonly" },
    })
    label.textContent = `version ${selected + 1} of ${versions.length}: ${when(v.end)} by ${v.author}`
    restore.disabled = selected === versions.length - 1
  }

  function onRestore() {
    const v = versions[selected]
    if (!v) {
      return
    }
    const old = A.view(handle.doc(), v.heads)
    const spans = typeof old.body === "string" ? A.spans(old, path) : []
    const oldTitle = old.title == null ? "" : String(old.title)
    handle.change(d => {
      if (typeof d.body === "string") {
        A.updateSpans(d, path, spans)
      } else {
        d.body = ""
        A.updateSpans(d, path, spans)
      }
      if (typeof d.title === "string") {
        A.updateText(d, ["title"], oldTitle)
      } else {
        d.title = oldTitle
      }
    }, { message: `${me.name} (restored version ${selected + 1})` })
    followLatest = true
  }

  function onChange() {
    if (!panel.hidden && !pending) {
      pending = setTimeout(refresh, 300)
    }
  }

  const onToggle = () => {
    panel.hidden = !panel.hidden
    toggle.classList.toggle("active", !panel.hidden)
    if (!panel.hidden) {
      followLatest = true
      refresh()
    }
  }
  const onSlide = () => select(Number(slider.value))
  toggle.addEventListener("click", onToggle)
  slider.addEventListener("input", onSlide)
  restore.addEventListener("click", onRestore)
  handle.on("change", onChange)
  if (!panel.hidden) {
    refresh()
  }

  return {
    close() {
      clearTimeout(pending)
      view?.destroy()
      handle.off("change", onChange)
      toggle.removeEventListener("click", onToggle)
      slider.removeEventListener("input", onSlide)
      restore.removeEventListener("click", onRestore)
    },
  }
}

function when(seconds) {
  if (!seconds) {
    return "unknown time"
  }
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" })
}
