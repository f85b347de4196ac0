package dev.loam.server;

import dev.loam.repo.id.PeerId;
import dev.loam.repo.protocol.PeerMetadata;
import dev.loam.repo.protocol.RepoMessage;
import dev.loam.repo.storage.InMemoryStorageAdapter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the server tells clients that have not proved anything: protocol terms, no library internals, no host details. */
class ServerDisclosureTest {
  @Test
  void two_maps_in_one_frame_are_refused_in_the_protocols_terms() throws Exception {
    try (LoamServer server = LoamServer.builder().port(0).storage(new InMemoryStorageAdapter()).build().start();
         TestClient c = TestClient.connect(server.port(), "peer-a")) {
      c.join();
      byte[] join = new RepoMessage.Join(c.id, PeerMetadata.EPHEMERAL, List.of("1")).encode();
      ByteArrayOutputStream twice = new ByteArrayOutputStream();
      twice.writeBytes(join);
      twice.writeBytes(join); // Jackson calls this "Trailing token (JsonToken.START_OBJECT)"
      c.sendRaw(twice.toByteArray());
      RepoMessage.Error error = c.next(RepoMessage.Error.class);
      assertEquals("could not decode message: malformed message: expected one CBOR map", error.message());
      assertEquals(1007, c.awaitClose().status());
    }
  }

  @Test
  void the_default_peer_id_and_health_say_nothing_about_the_host() throws Exception {
    String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    assumeTrue(!host.isEmpty() && !host.equals("localhost"), "a host name to look for");
    try (LoamServer server = LoamServer.builder().port(0).storage(new InMemoryStorageAdapter()).build().start()) {
      PeerId id = server.peerId();
      assertTrue(id.value().matches("storage-server-[0-9a-z]{11}"), id.value());
      String health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(health.startsWith("{\"status\":\"up\""), health);
      // the id is random by the pattern above; the rest of the page must not name the host either
      // (a short host name such as "vm" may turn up in the id's random letters by chance)
      String rest = health.replace(id.value(), "");
      assertFalse(rest.toLowerCase(Locale.ROOT).contains(host), health);
    }
  }
}
