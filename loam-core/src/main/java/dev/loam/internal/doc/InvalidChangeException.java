package dev.loam.internal.doc;

import dev.loam.DecodeException;

/** A well-formed change whose operations do not fit the document (a missing object, element or predecessor, a reused op id). */
final class InvalidChangeException extends DecodeException {
  InvalidChangeException(String message) {
    super(-1, message);
  }
}
