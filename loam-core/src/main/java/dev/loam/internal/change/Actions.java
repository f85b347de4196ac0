package dev.loam.internal.change;

/** Automerge's operation action codes, as stored in the action column. */
public final class Actions {
  public static final int MAKE_MAP = 0;
  public static final int SET = 1;
  public static final int MAKE_LIST = 2;
  public static final int DEL = 3;
  public static final int MAKE_TEXT = 4;
  public static final int INC = 5;
  public static final int MAKE_TABLE = 6;
  public static final int MARK = 7;

  private Actions() {}

  public static boolean isMake(int action) {
    return action == MAKE_MAP || action == MAKE_LIST || action == MAKE_TEXT || action == MAKE_TABLE;
  }

  public static boolean isValid(int action) {
    return action >= 0 && action <= 7;
  }

  public static String name(int action) {
    return switch (action) {
      case MAKE_MAP -> "makeMap";
      case SET -> "set";
      case MAKE_LIST -> "makeList";
      case DEL -> "del";
      case MAKE_TEXT -> "makeText";
      case INC -> "inc";
      case MAKE_TABLE -> "makeTable";
      case MARK -> "mark";
      default -> "action" + action;
    };
  }
}
