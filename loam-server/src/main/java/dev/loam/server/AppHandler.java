package dev.loam.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Serves Loam Notes, the web app built into the {@code loam-app} jar: {@code GET /} (and any other
 * path a browser asks for as a page, so that reloading a deep link works) answers
 * {@code index.html}, {@code /assets/…} the bundle, the stylesheet and Automerge's wasm. Asset
 * names carry a content hash, so they are cached for a year as immutable; the page is revalidated
 * (ETag) on every load. Text and wasm go gzip-compressed to clients that accept it. The page gets
 * a Content-Security-Policy that lets it load only its own scripts and connect only to its own
 * origin, and may not be framed.
 *
 * <p>The files are listed in {@code loam-app/files} on the class path and read into memory at the
 * first request. Without them (a build with {@code -Dloam.app.skip=true}) {@code GET /} answers 404
 * with a line saying so.
 *
 * <p>Runs on Jetty's request threads; thread-safe (the files are loaded once, then only read).
 */
final class AppHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(AppHandler.class);
  private static final String ROOT = "loam-app/";
  static final String PAGE_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
      + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
      + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** One file of the app, with its compressed form when that is smaller. */
  private record Asset(String type, byte[] bytes, byte @Nullable [] gzip, String etag, boolean immutable) {}

  private final ClassLoader loader;
  private volatile @Nullable Map<String, Asset> files;

  AppHandler(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      return false;
    }
    String path = Request.getPathInContext(request);
    Map<String, Asset> all = files();
    Asset asset = all.get(path.equals("/") ? "index.html" : path.substring(1));
    if (asset == null && wantsPage(request, path)) {
      asset = all.get("index.html");
      if (asset == null) {
        byte[] text = ("This build of loam has no Loam Notes app (it was built with -Dloam.app.skip=true);"
            + " rebuild with ./build on a machine with Node.js to serve it.\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(404);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.write(true, ByteBuffer.wrap(text), callback);
        return true;
      }
    }
    if (asset == null) {
      return false;
    }
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, asset.type());
    headers.put(HttpHeader.ETAG, asset.etag());
    headers.put(HttpHeader.CACHE_CONTROL, asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    if (asset.type().startsWith("text/html")) {
      headers.put("Content-Security-Policy", PAGE_POLICY);
    }
    if (asset.gzip() != null) {
      headers.put(HttpHeader.VARY, "Accept-Encoding");
    }
    String match = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
    if (match != null && match.contains(asset.etag())) {
      response.setStatus(304);
      response.write(true, null, callback);
      return true;
    }
    byte[] body = asset.bytes();
    String accept = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
    if (asset.gzip() != null && accept != null && accept.toLowerCase(Locale.ROOT).contains("gzip")) {
      body = asset.gzip();
      headers.put(HttpHeader.CONTENT_ENCODING, "gzip");
    }
    response.setStatus(200);
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    return true;
  }

  /** A browser navigating to a path of the app (not a file, not an API): it gets the page. */
  private static boolean wantsPage(Request request, String path) {
    String accept = request.getHeaders().get(HttpHeader.ACCEPT);
    String last = path.substring(path.lastIndexOf('/') + 1);
    return accept != null && accept.contains("text/html") && !last.contains(".") && !path.startsWith("/assets/");
  }

  private Map<String, Asset> files() {
    Map<String, Asset> f = files;
    if (f == null) {
      synchronized (this) {
        f = files;
        if (f == null) {
          f = load(loader);
          files = f;
        }
      }
    }
    return f;
  }

  private static Map<String, Asset> load(ClassLoader loader) {
    byte[] list = read(loader, ROOT + "files");
    if (list == null) {
      log.warn("the Loam Notes app is not on the class path ({}files is missing): GET / answers 404", ROOT);
      return Map.of();
    }
    Map<String, Asset> out = new HashMap<>();
    for (String name : new String(list, StandardCharsets.UTF_8).split("\n")) {
      name = name.strip();
      if (name.isEmpty()) {
        continue;
      }
      byte[] bytes = read(loader, ROOT + name);
      if (bytes == null) {
        throw new IllegalStateException("the Loam Notes app lists " + name + " but the jar does not hold it");
      }
      String type = contentType(name);
      byte[] gzip = type.startsWith("image/png") ? null : gzip(bytes);
      out.put(name, new Asset(type, bytes, gzip != null && gzip.length < bytes.length ? gzip : null,
          etag(bytes), name.startsWith("assets/")));
    }
    return Map.copyOf(out);
  }

  static String contentType(String name) {
    String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "html" -> "text/html; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "wasm" -> "application/wasm";
      case "json", "map" -> "application/json";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  private static byte @Nullable [] read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + " of the Loam Notes app", e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
