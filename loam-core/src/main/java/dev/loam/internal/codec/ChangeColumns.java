package dev.loam.internal.codec;

/**
 * The column specs of a change chunk's operations, and of a document's ops and changes.
 *
 * <pre>
 * +------+----+--------+--------------------------------+----------------------------+
 * | spec | id | type   | change op column               | writer rule                |
 * +------+----+--------+--------------------------------+----------------------------+
 * |  1   | 0  | actor  | object actor (null = root)     | omitted if all root        |
 * |  2   | 0  | int    | object counter                 | same                       |
 * | 17   | 1  | actor  | key elemId actor (null: map/HEAD) | omitted if all null     |
 * | 19   | 1  | delta  | key elemId counter (HEAD = 0)  | omitted if all null        |
 * | 21   | 1  | string | map key                        | omitted if all null        |
 * | 52   | 3  | bool   | insert                         | always                     |
 * | 66   | 4  | int    | action                         | always                     |
 * | 86   | 5  | valmeta| value type and length          | always                     |
 * | 87   | 5  | value  | raw values                     | omitted if empty           |
 * | 112  | 7  | group  | number of preds                | always                     |
 * | 113  | 7  | actor  | pred actors                    | omitted if no preds        |
 * | 115  | 7  | delta  | pred counters                  | same                       |
 * | 148  | 9  | bool   | expand                         | omitted unless one is true |
 * | 165  | 10 | string | mark name                      | omitted if all null        |
 * +------+----+--------+--------------------------------+----------------------------+
 * </pre>
 *
 * Documents use the same specs for ops, plus op id (33 actor, 35 delta counter) and successors
 * (128 group, 129 actor, 131 delta counter) instead of preds.
 */
final class ChangeColumns {
  static final int OBJ_ACTOR = 1;
  static final int OBJ_CTR = 2;
  static final int KEY_ACTOR = 17;
  static final int KEY_CTR = 19;
  static final int KEY_STR = 21;
  static final int ID_ACTOR = 33;
  static final int ID_CTR = 35;
  static final int INSERT = 52;
  static final int ACTION = 66;
  static final int VAL_META = 86;
  static final int VAL_RAW = 87;
  static final int PRED_GROUP = 112;
  static final int PRED_ACTOR = 113;
  static final int PRED_CTR = 115;
  static final int SUCC_GROUP = 128;
  static final int SUCC_ACTOR = 129;
  static final int SUCC_CTR = 131;
  static final int EXPAND = 148;
  static final int MARK_NAME = 165;

  /** The largest op counter Automerge accepts (counters are u32). */
  static final long MAX_COUNTER = 0xffff_ffffL;

  private ChangeColumns() {}

  /** How to count the rows of a column with this spec, or 0 if it is not a row column. */
  static char rowKind(int spec) {
    return switch (spec & 7) {
      case 0, 1, 2, 6 -> 'u';
      case 3 -> 's';
      case 4 -> 'B';
      case 5 -> 'b';
      default -> 0;
    };
  }

  /** Counts rows of a column by its type. */
  static long countRows(ByteReader col, int spec, long limit, String what) {
    char kind = rowKind(spec);
    return kind == 'B' ? BooleanColumn.countRows(col, limit, what) : RleColumn.countRows(col, kind, limit, what);
  }
}
