package dev.loam.cli;

import dev.loam.ObjId;
import dev.loam.ObjType;
import dev.loam.ReadDoc;
import dev.loam.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a document as an RFC 6901 JSON Pointer: {@code ""} is the root, {@code /a/0/b}
 * walks map keys and list indexes ({@code ~1} is {@code /}, {@code ~0} is {@code ~}). List indexes
 * have no leading zeros; a pointer never descends into text.
 */
public record JsonPointer(String text, List<String> tokens) {
  /**
   * Parses {@code text}.
   *
   * @throws CliException if it is not a JSON Pointer
   */
  public static JsonPointer parse(String text) {
    if (text.isEmpty()) {
      return new JsonPointer(text, List.of());
    }
    if (text.charAt(0) != '/') {
      throw new CliException("a path is a JSON Pointer starting with '/', not \"" + text + "\"");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      StringBuilder sb = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '~') {
          char next = i + 1 < raw.length() ? raw.charAt(i + 1) : ' ';
          if (next == '0') {
            sb.append('~');
          } else if (next == '1') {
            sb.append('/');
          } else {
            throw new CliException("in a JSON Pointer '~' is followed by 0 or 1: \"" + text + "\"");
          }
          i++;
        } else {
          sb.append(c);
        }
      }
      tokens.add(sb.toString());
    }
    return new JsonPointer(text, List.copyOf(tokens));
  }

  boolean isRoot() {
    return tokens.isEmpty();
  }

  String last() {
    return tokens.getLast();
  }

  /** An object of the document and its type. */
  record Container(ObjId id, ObjType type) {
    boolean isMap() {
      return type == ObjType.MAP || type == ObjType.TABLE;
    }
  }

  /** The object holding what the last token names; every step before it must exist. */
  Container parent(ReadDoc doc) {
    return walk(doc, tokens.size() - 1);
  }

  /** The object the whole pointer names. */
  Container object(ReadDoc doc) {
    return walk(doc, tokens.size());
  }

  private Container walk(ReadDoc doc, int steps) {
    Container c = new Container(ObjId.ROOT, ObjType.MAP);
    StringBuilder at = new StringBuilder();
    for (int i = 0; i < steps; i++) {
      String token = tokens.get(i);
      at.append('/').append(token.replace("~", "~0").replace("/", "~1"));
      Value v;
      if (c.isMap()) {
        v = doc.get(c.id(), token).orElseThrow(() -> new CliException("no such key: " + at));
      } else if (c.type() == ObjType.LIST) {
        int index = index(token, at);
        v = doc.get(c.id(), index).orElseThrow(() -> new CliException("no such index: " + at));
      } else {
        throw new CliException("a path cannot descend into text (use --splice): " + at);
      }
      if (!(v instanceof Value.Obj obj)) {
        throw new CliException("not a map or list: " + at);
      }
      c = new Container(obj.id(), obj.type());
    }
    return c;
  }

  /** A list index: decimal digits without leading zeros. */
  static int index(String token, CharSequence at) {
    if (!token.matches("0|[1-9][0-9]*")) {
      throw new CliException("not a list index: " + at);
    }
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw new CliException("no such index: " + at);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
