package dev.loam.search;

import dev.loam.LoamException;

/**
 * The index cannot be used: its folder is taken by another open index (another process), or
 * reading or writing it failed. A corrupt index is not reported this way: it is rebuilt.
 */
public final class SearchIndexException extends LoamException {
  /** An index failure described by {@code message}, caused by {@code cause}. */
  public SearchIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
