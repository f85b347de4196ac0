# Sourced by ./loam, ./build and ./test: finds a JDK 21+ ($JAVA_HOME if new enough, else the
# newest under /usr/lib/jvm or on PATH), because the machine default may be older.

# The major version of the JDK at $1 (a JDK home), or nothing.
jdk_major() {
  local home="$1" v=""
  [[ -x "$home/bin/java" ]] || return 0
  if [[ -r "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)"
  fi
  if [[ -z "$v" ]]; then
    v="$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1)"
  fi
  v="${v#1.}"
  v="${v%%[.+-]*}"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v"
  return 0
}
find_jdk() {
  local best="" best_major=0 home major
  if [[ -n "${JAVA_HOME:-}" ]]; then
    major="$(jdk_major "$JAVA_HOME")"
    if [[ -n "$major" && "$major" -ge 21 ]]; then
      echo "$JAVA_HOME"
      return 0
    fi
  fi
  local candidates=()
  for home in /usr/lib/jvm/*/; do
    candidates+=("${home%/}")
  done
  if command -v java >/dev/null 2>&1; then
    local bin
    bin="$(readlink -f "$(command -v java)")"
    candidates+=("$(dirname "$(dirname "$bin")")")
  fi
  for home in "${candidates[@]}"; do
    major="$(jdk_major "$home")"
    if [[ -n "$major" && "$major" -gt "$best_major" ]]; then
      best="$home"
      best_major="$major"
    fi
  done
  if [[ "$best_major" -ge 21 ]]; then
    echo "$best"
  fi
}
