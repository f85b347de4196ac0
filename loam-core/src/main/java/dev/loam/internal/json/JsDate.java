package dev.loam.internal.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Formats epoch milliseconds exactly as JavaScript's {@code Date.prototype.toISOString()} does. */
public final class JsDate {
  /** The largest distance from the epoch, in milliseconds, that a JavaScript {@code Date} can hold. */
  public static final long MAX_MILLIS = 8_640_000_000_000_000L;

  private JsDate() {}

  /**
   * {@code millis} as {@code YYYY-MM-DDTHH:mm:ss.sssZ}, with a signed six-digit year
   * ({@code +010000}, {@code -000001}) outside years 0000–9999; null when JavaScript's {@code Date}
   * would be invalid (beyond ±8.64e15 ms), where {@code toISOString} throws.
   */
  public static String toIsoString(long millis) {
    if (millis > MAX_MILLIS || millis < -MAX_MILLIS) {
      return null;
    }
    LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(27);
    int year = t.getYear(); // proleptic Gregorian with a year 0, as ECMAScript counts
    if (year >= 0 && year <= 9999) {
      pad(sb, year, 4);
    } else {
      sb.append(year < 0 ? '-' : '+');
      pad(sb, Math.abs(year), 6);
    }
    sb.append('-');
    pad(sb, t.getMonthValue(), 2);
    sb.append('-');
    pad(sb, t.getDayOfMonth(), 2);
    sb.append('T');
    pad(sb, t.getHour(), 2);
    sb.append(':');
    pad(sb, t.getMinute(), 2);
    sb.append(':');
    pad(sb, t.getSecond(), 2);
    sb.append('.');
    pad(sb, t.getNano() / 1_000_000, 3);
    sb.append('Z');
    return sb.toString();
  }

  private static void pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    sb.repeat('0', width - s.length());
    sb.append(s);
  }
}
