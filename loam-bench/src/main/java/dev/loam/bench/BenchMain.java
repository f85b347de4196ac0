package dev.loam.bench;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs {@code loam bench ...} without the CLI module: {@code java -cp loam-bench.jar:lib/*
 * dev.loam.bench.BenchMain trace PATH}. {@code bench/compare} uses it.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
