/**
 * The {@code loam} command line. {@link dev.loam.cli.Main} builds the picocli command tree: {@code doc}
 * commands work on one document file ({@code DocCommand} and its subcommands), {@code repo} commands
 * on a repo folder ({@code RepoCommand}), {@code sync} and {@code serve} talk to peers. A new
 * subcommand is a picocli class added to its parent's {@code subcommands}; extra ones can come from
 * the class path as a {@link dev.loam.cli.CommandProvider}.
 */
@NullMarked
package dev.loam.cli;

import org.jspecify.annotations.NullMarked;
