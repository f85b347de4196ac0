package dev.loam.cli;

import org.jspecify.annotations.Nullable;
import dev.loam.ActorId;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --actor HEX} and {@code --time SECONDS}, for the commands that write a change. */
final class WriteOptions {
  @Option(names = "--actor", paramLabel = "HEX", description = "Write as this actor (hex, either case). Default: a fresh random actor.")
  @Nullable String actorHex;

  @Option(names = "--time", paramLabel = "SECONDS", description = "The change's time in whole seconds since the epoch (0 means none). Default: now.")
  String time;

  ActorId actor() {
    if (actorHex == null) {
      return ActorId.random();
    }
    if (actorHex.isEmpty()) {
      throw new CliException("--actor: an actor id is at least one byte of hex");
    }
    try {
      return ActorId.fromHex(actorHex);
    } catch (IllegalArgumentException e) {
      throw new CliException("--actor: " + e.getMessage());
    }
  }

  long seconds() {
    if (time == null) {
      return Instant.now().getEpochSecond();
    }
    if (!time.matches("[0-9]+")) {
      throw new CliException("--time takes a non-negative whole number of seconds, not \"" + time + "\"");
    }
    try {
      return Long.parseLong(time);
    } catch (NumberFormatException e) {
      throw new CliException("--time is too large: " + time);
    }
  }

  /** Checks both options without using them. */
  void validate() {
    actor();
    seconds();
  }
}
