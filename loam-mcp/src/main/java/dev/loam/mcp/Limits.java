package dev.loam.mcp;

/**
 * The bounds {@code loam mcp} puts on what an assistant sends, which it treats as hostile: a
 * request beyond one of them is refused with a tool error and writes nothing.
 */
final class Limits {
  private Limits() {}

  /** Longest JSON-RPC message read from stdin, in bytes (the SDK's transport refuses longer lines). */
  static final int MAX_REQUEST_BYTES = 4 << 20;
  /** Longest arguments of one tool call, as JSON text (UTF-16 units). */
  static final int MAX_ARGUMENT_CHARS = 1 << 20;
  /** Most operations in one {@code edit_document}. */
  static final int MAX_OPERATIONS = 1000;
  /** Most steps in a JSON Pointer path. */
  static final int MAX_PATH_DEPTH = 64;
  /** Deepest nesting of a value written by {@code put} or {@code insert}. */
  static final int MAX_VALUE_DEPTH = 64;
  /** Longest change message. */
  static final int MAX_MESSAGE_CHARS = 4096;
  /** Longest document URL. */
  static final int MAX_URL_CHARS = 256;
  /** Longest search query. */
  static final int MAX_QUERY_CHARS = 1000;
  /** Most change hashes in {@code read_document}'s heads or {@code revert_changes}. */
  static final int MAX_HASHES = 1000;
  /** Most search hits, and the default. */
  static final int MAX_SEARCH_LIMIT = 100;
  static final int DEFAULT_SEARCH_LIMIT = 20;
  /** Most history entries, and the default. */
  static final int MAX_HISTORY_LIMIT = 1000;
  static final int DEFAULT_HISTORY_LIMIT = 50;
}
