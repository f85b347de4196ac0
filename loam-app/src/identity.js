// Who this window's user is to others: a name and a colour. A name the user chose is kept in
// localStorage (every window of this browser uses it); until then each window is its own guest
// (sessionStorage), so two windows side by side tell their cursors apart.
const NAME_KEY = "loam-notes:name"
const COLORS = ["#d1495b", "#00798c", "#edae49", "#30638e", "#6a4c93", "#2a9d8f", "#e76f51", "#8ab17d"]

export function myIdentity() {
  let name = localStorage.getItem(NAME_KEY) ?? sessionStorage.getItem(NAME_KEY)
  if (!name) {
    name = `Guest ${Math.floor(1000 + Math.random() * 9000)}`
    sessionStorage.setItem(NAME_KEY, name)
  }
  const me = {
    name,
    session: crypto.randomUUID(),
    color: colorOf(name),
    rename(next) {
      const trimmed = String(next).trim().slice(0, 40)
      if (trimmed) {
        me.name = trimmed
        me.color = colorOf(trimmed)
        localStorage.setItem(NAME_KEY, trimmed)
      }
    },
  }
  return me
}

export function colorOf(name) {
  let h = 0
  for (const c of name) {
    h = (h * 31 + c.codePointAt(0)) >>> 0
  }
  return COLORS[h % COLORS.length]
}
