package dev.loam.typed;

/**
 * The document holds, at {@link #path()}, a value of another type than the class declares there
 * (a string where a number is declared, a list where a record is). Reads throw it; a write throws
 * it before changing anything when it would have to read the value first (a list's elements).
 */
public class TypeMismatchException extends MappingException {
  private final String path;

  /**
   * @param path the JSON pointer of the value in the document ({@code /tasks/3/title})
   * @param expected what the class declares
   * @param found what the document holds
   */
  public TypeMismatchException(String path, String expected, String found) {
    super("at " + (path.isEmpty() ? "the root" : path) + ": expected " + expected + ", found " + found);
    this.path = path;
  }

  /** The JSON pointer of the mismatched value ({@code ""} for the document's root). */
  public String path() {
    return path;
  }
}
