// The status badge: "offline" while there is no connection to the server, "syncing" while the
// server has not yet confirmed the heads of an open document (the list or the note), "online" when
// it has every change of them.
export function watchStatus(repo, network, badge) {
  const base = new Set()
  let note = null
  let first = true

  function serverStorageId() {
    const peer = network.remotePeerId
    if (!peer || !repo.peers.includes(peer)) {
      return null
    }
    return repo.peerMetadataByPeerId[peer]?.storageId ?? null
  }

  function sameHeads(a, b) {
    return !!a && !!b && a.length === b.length && [...a].sort().join() === [...b].sort().join()
  }

  function compute() {
    const open = network.socket?.readyState === WebSocket.OPEN
    if (!open || !network.remotePeerId || !repo.peers.includes(network.remotePeerId)) {
      return "offline"
    }
    const storageId = serverStorageId()
    if (!storageId) {
      return "online" // an ephemeral server (keeps nothing): nothing to confirm
    }
    for (const h of [...base, note]) {
      if (h && !sameHeads(h.heads(), h.getSyncInfo(storageId)?.lastHeads)) {
        return "syncing"
      }
    }
    return "online"
  }

  function update() {
    const state = compute()
    if (first || badge.dataset.state !== state) {
      first = false
      badge.dataset.state = state
      badge.textContent = state
      badge.title = {
        online: "Connected: the server has every change of the open note",
        syncing: "Connected: exchanging changes with the server",
        offline: "Not connected: edits are kept on this device and sync when the server is back",
      }[state]
    }
  }

  const onEvent = () => queueMicrotask(update)
  repo.networkSubsystem.on("peer", onEvent)
  repo.networkSubsystem.on("peer-disconnected", onEvent)
  window.addEventListener("online", onEvent)
  window.addEventListener("offline", onEvent)
  setInterval(update, 250)
  update()

  function listen(h) {
    h.on("heads-changed", onEvent)
    h.on("remote-heads", onEvent)
  }

  return {
    track(h) {
      if (base.size === 0) {
        base.add(h)
      } else {
        note = h
      }
      listen(h)
      update()
    },
    untrack() {
      if (note) {
        note.off("heads-changed", onEvent)
        note.off("remote-heads", onEvent)
      }
      note = null
      update()
    },
  }
}
