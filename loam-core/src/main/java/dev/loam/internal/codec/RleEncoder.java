package dev.loam.internal.codec;

/**
 * The canonical RLE writer's state machine, whatever its values (the run layout is drawn in
 * {@link RleColumn}): runs, literals and null runs are decided here once; a subclass keeps the
 * last value and the pending literal in its own (primitive) form and writes them when told.
 *
 * <p>Implementation notes: Automerge's encoder. Two equal adjacent values always form a run; a
 * column of nulls only is empty; leading nulls are written when values follow. A subclass's
 * {@code append} compares the new value with its last one, calls {@link #value(boolean)} with the
 * answer (ignored in states that hold no last value), and only then stores the new value as the
 * last one. Not thread-safe; one encoder serves many columns through {@link #reset()}.
 */
abstract class RleEncoder {
  /** What has been appended since the last flush. */
  private enum State {
    /** Nothing yet. */
    EMPTY,
    /** Only nulls so far (dropped if nothing else follows). */
    INITIAL_NULLS,
    /** A run of {@code count} nulls. */
    NULLS,
    /** One value, the last one. */
    LONE,
    /** The last value, {@code count} times. */
    RUN,
    /** The pending literal values, then the last one. */
    LITERAL
  }

  final ByteWriter out = new ByteWriter();
  private State state = State.EMPTY;
  private long count;

  /** Writes the last value appended. */
  abstract void writeLast();

  /** Adds the last value appended to the end of the pending literal. */
  abstract void pushLastToLiteral();

  /** The number of values in the pending literal. */
  abstract int literalSize();

  /** Writes the pending literal's values in order and empties it. */
  abstract void writeLiteralValues();

  /** Forgets the subclass's last value and pending literal. */
  abstract void resetValues();

  /** Whether the current state is a run, where the next equal value only adds to the count. */
  final boolean inRun() {
    return state == State.RUN;
  }

  /** Adds one to the current run: what {@code value(true)} does in a run, for a subclass's fast path. */
  final void extendRun() {
    count++;
  }

  /** Forgets everything appended, keeping the buffers. */
  final void reset() {
    out.reset();
    state = State.EMPTY;
    count = 0;
    resetValues();
  }

  /** Takes one non-null value; {@code sameAsLast} says whether it equals the last value appended. */
  final void value(boolean sameAsLast) {
    switch (state) {
      case EMPTY -> state = State.LONE;
      case INITIAL_NULLS, NULLS -> {
        flushNulls();
        state = State.LONE;
      }
      case LONE -> {
        if (sameAsLast) {
          state = State.RUN;
          count = 2;
        } else {
          pushLastToLiteral();
          state = State.LITERAL;
        }
      }
      case RUN -> {
        if (sameAsLast) {
          count++;
        } else {
          flushRun();
          state = State.LONE;
        }
      }
      case LITERAL -> {
        if (sameAsLast) {
          flushLiteral();
          state = State.RUN;
          count = 2;
        } else {
          pushLastToLiteral();
        }
      }
    }
  }

  /** Takes one null. */
  final void appendNull() {
    switch (state) {
      case EMPTY -> {
        state = State.INITIAL_NULLS;
        count = 1;
        return;
      }
      case INITIAL_NULLS, NULLS -> {
        count++;
        return;
      }
      case LONE -> flushLone();
      case RUN -> flushRun();
      case LITERAL -> flushLiteralAndLast();
    }
    state = State.NULLS;
    count = 1;
  }

  /** Ends the column and returns its bytes (empty for a column of nulls only). */
  final byte[] finish() {
    switch (state) {
      case EMPTY, INITIAL_NULLS -> {}
      case NULLS -> flushNulls();
      case LONE -> flushLone();
      case RUN -> flushRun();
      case LITERAL -> flushLiteralAndLast();
    }
    state = State.EMPTY;
    return out.toByteArray();
  }

  private void flushLone() {
    out.writeSleb(-1);
    writeLast();
  }

  private void flushLiteralAndLast() {
    pushLastToLiteral();
    flushLiteral();
  }

  private void flushRun() {
    out.writeSleb(count);
    writeLast();
  }

  private void flushLiteral() {
    out.writeSleb(-literalSize());
    writeLiteralValues();
  }

  private void flushNulls() {
    out.writeSleb(0).writeUleb(count);
  }
}
