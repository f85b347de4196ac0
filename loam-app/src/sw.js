// Loam Notes' service worker: keeps the app's files so that the page opens without the server
// (the notes themselves are in IndexedDB). The page is fetched from the network first and from
// this cache when the server is unreachable; the hashed assets never change, so the cache
// answers them. A new build has a new VERSION: its worker caches the new files and drops the old.
const VERSION = "%VERSION%"
const FILES = %FILES%
const CACHE = `loam-notes-${VERSION}`

self.addEventListener("install", event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(FILES)).then(() => self.skipWaiting()))
})

self.addEventListener("activate", event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k.startsWith("loam-notes-") && k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()))
})

self.addEventListener("fetch", event => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(async () =>
      (await caches.match(new URL("./", self.location.href))) ?? Response.error()))
  } else if (url.pathname.startsWith(new URL("assets/", self.location.href).pathname)) {
    event.respondWith(caches.match(request).then(hit => hit ?? fetch(request)))
  }
})
