package dev.loam.cli;

/**
 * Supplies an extra top-level subcommand of {@code loam} from a jar that is not part of the CLI.
 *
 * <p>{@link Main} finds implementations with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/dev.loam.cli.CommandProvider} file in the jar) and adds each
 * {@link #command()} as a subcommand. This is how {@code loam bench} (module {@code loam-bench},
 * not shipped) joins the command when its jar is on the class path, without loam-cli depending
 * on it. Implementations need a public no-argument constructor.
 */
public interface CommandProvider {
  /** A picocli {@code @Command}-annotated object or class, added as a subcommand. */
  Object command();
}
