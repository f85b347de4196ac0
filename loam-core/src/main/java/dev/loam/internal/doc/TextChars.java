package dev.loam.internal.doc;

import dev.loam.ScalarValue;

/** The one-code-point string values of text elements, with the ASCII ones shared rather than allocated per character. */
final class TextChars {
  private static final ScalarValue.Str[] ASCII = new ScalarValue.Str[128];

  static {
    for (int i = 0; i < 128; i++) {
      ASCII[i] = new ScalarValue.Str(String.valueOf((char) i));
    }
  }

  private TextChars() {}

  static ScalarValue.Str of(String text, int start, int length) {
    if (length == 1) {
      char c = text.charAt(start);
      if (c < 128) {
        return ASCII[c];
      }
    }
    return new ScalarValue.Str(text.substring(start, start + length));
  }

  /** The shared instance for a decoded one-character ASCII string, or {@code v} itself. */
  static ScalarValue intern(ScalarValue v) {
    if (v instanceof ScalarValue.Str s && s.value().length() == 1 && s.value().charAt(0) < 128) {
      return ASCII[s.value().charAt(0)];
    }
    return v;
  }
}
