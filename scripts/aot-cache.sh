#!/usr/bin/env bash
# Creates the launcher's AOT cache, loam-cli/target/loam.aot, from the built jars (./build and
# ./test run it after Maven): on a JDK 25+ it trains on dev.loam.cli.AotTraining (the common doc
# and repo commands, a few seconds of CPU) through ./loam itself, so that the cache matches the
# class path and JVM options ./loam starts with. On an older JDK it does nothing. A cache left
# from older jars is harmless (the JVM ignores it silently), but only a fresh one speeds start-up.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ ! -d "$root/loam-cli/target/lib" ]]; then
  echo "aot-cache: loam-cli is not built (no loam-cli/target/lib); no cache made" >&2
  exit 0
fi
LOAM_AOT_TRAIN=1 exec "$root/loam"
