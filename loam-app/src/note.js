// One open note: its title, the rich-text editor of its body (ProseMirror bound to the Automerge
// text at "body" by @automerge/prosemirror: marks and blocks are Automerge marks and block markers),
// the toolbar, presence and history.
import { Automerge as A } from "@automerge/automerge-repo/slim"
import { init, basicSchemaAdapter } from "@automerge/prosemirror"
import { EditorState } from "prosemirror-state"
import { EditorView } from "prosemirror-view"
import { keymap } from "prosemirror-keymap"
import { baseKeymap, toggleMark, setBlockType } from "prosemirror-commands"
import { presencePlugin, startPresence } from "./presence.js"
import { openHistory } from "./history.js"

const BODY = ["body"]

export function openNote({ handle, me, pane }) {
  // The plugin's changes carry the author's name as their message, for the history.
  const authored = {
    doc: () => handle.doc(),
    change: fn => handle.change(fn, { message: me.name }),
    on: (event, cb) => handle.on(event, cb),
    off: (event, cb) => handle.off(event, cb),
  }
  if (typeof handle.doc().body !== "string") {
    handle.change(d => { d.body = "" }, { message: me.name })
  }
  const { schema, pmDoc, plugin } = init(authored, BODY)
  const commands = {
    bold: toggleMark(schema.marks.strong),
    italic: toggleMark(schema.marks.em),
    link: (state, dispatch) => {
      if (!dispatch) {
        return toggleMark(schema.marks.link, { href: "" })(state)
      }
      const active = schema.marks.link.isInSet(state.storedMarks ?? state.selection.$from.marks())
      if (active || state.selection.empty) {
        return toggleMark(schema.marks.link, { href: "" })(state, dispatch)
      }
      const href = window.prompt("Link to (https://…)", "https://")
      return !!href && toggleMark(schema.marks.link, { href, title: href })(state, dispatch)
    },
    heading: setBlockType(schema.nodes.heading, { level: 2 }),
    paragraph: setBlockType(schema.nodes.paragraph),
  }

  const host = pane.querySelector("#editor-host")
  const toolbar = pane.querySelector("#toolbar")
  host.replaceChildren()
  const presence = presencePlugin()
  let people = null
  let view = null
  view = new EditorView(host, {
    state: EditorState.create({
      schema,
      doc: pmDoc,
      plugins: [
        keymap({
          "Mod-b": commands.bold,
          "Mod-i": commands.italic,
          "Mod-k": commands.link,
          "Mod-Alt-1": commands.heading,
          "Mod-Alt-0": commands.paragraph,
        }),
        keymap(baseKeymap),
        plugin,
        presence.plugin,
      ],
    }),
    attributes: { "data-testid": "editor", class: "editor", spellcheck: "true" },
    handleClickOn(view, pos, node, nodePos, event) {
      const a = event.target.closest?.("a[href]")
      if (a && (event.ctrlKey || event.metaKey)) {
        window.open(a.href, "_blank", "noopener")
        return true
      }
      return false
    },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr))
      people?.selectionChanged()
      showActive()
    },
  })

  people = startPresence({ handle, me, view, adapter: basicSchemaAdapter, path: BODY, presence,
    list: pane.querySelector("#presence") })

  // The toolbar shows which marks and which block the selection has.
  function markActive(state, type) {
    const { from, to, empty, $from } = state.selection
    return empty ? !!type.isInSet(state.storedMarks ?? $from.marks()) : state.doc.rangeHasMark(from, to, type)
  }
  function showActive() {
    if (!view) {
      return // a transaction while the view is being made
    }
    const state = view.state
    const parent = state.selection.$from.parent.type
    const active = {
      bold: markActive(state, schema.marks.strong),
      italic: markActive(state, schema.marks.em),
      link: markActive(state, schema.marks.link),
      heading: parent === schema.nodes.heading,
      paragraph: parent === schema.nodes.paragraph,
    }
    for (const button of toolbar.querySelectorAll("[data-cmd]")) {
      button.setAttribute("aria-pressed", String(!!active[button.dataset.cmd]))
    }
  }
  const onToolbar = e => {
    const cmd = e.target.closest("[data-cmd]")?.dataset.cmd
    if (cmd && commands[cmd]) {
      e.preventDefault()
      commands[cmd](view.state, view.dispatch)
      view.focus()
    }
  }
  const keepFocus = e => { if (e.target.closest("[data-cmd]")) e.preventDefault() }
  toolbar.addEventListener("click", onToolbar)
  toolbar.addEventListener("mousedown", keepFocus)
  showActive()

  const title = pane.querySelector("#title")
  const showTitle = () => {
    const t = handle.doc().title
    const text = t == null ? "" : String(t)
    if (document.activeElement !== title && title.value !== text) {
      title.value = text
    }
  }
  const onTitle = () => handle.change(d => {
    if (typeof d.title === "string") {
      A.updateText(d, ["title"], title.value)
    } else {
      d.title = title.value
    }
  }, { message: me.name })
  title.value = ""
  showTitle()
  title.addEventListener("input", onTitle)
  title.addEventListener("blur", showTitle)
  handle.on("change", showTitle)

  const history = openHistory({ handle, me, pane, adapter: basicSchemaAdapter, path: BODY })

  return {
    view,
    close() {
      history.close()
      people.close()
      handle.off("change", showTitle)
      title.removeEventListener("input", onTitle)
      title.removeEventListener("blur", showTitle)
      toolbar.removeEventListener("click", onToolbar)
      toolbar.removeEventListener("mousedown", keepFocus)
      view.destroy()
    },
  }
}
