/** Test support for Loam and its adapters: contract suites, a hostile storage wrapper, a seeded fake network. */
module dev.loam.testkit {
  requires transitive dev.loam.repo;
  requires transitive org.junit.jupiter.api;
  requires static org.jspecify;

  exports dev.loam.testkit;
}
