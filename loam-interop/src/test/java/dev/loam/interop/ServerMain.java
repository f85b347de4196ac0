package dev.loam.interop;

import dev.loam.repo.storage.SqliteStorageAdapter;
import dev.loam.server.DataFolderLock;
import dev.loam.server.LoamServer;

import java.nio.file.Path;

/** {@code ServerMain PORT DATA}: a Loam server in its own process, for tests that kill it. Prints "ready". */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[1]);
    LoamServer server = LoamServer.builder().port(Integer.parseInt(args[0])).host("127.0.0.1")
        .closeOnStop(DataFolderLock.acquire(data, "ServerMain"))
        .storage(SqliteStorageAdapter.open(data.resolve("loam.db"))).build().start();
    System.out.println("ready");
    System.out.flush();
    server.awaitStop();
  }
}
