/**
 * Typed documents: Java records and Kotlin data classes mapped to Loam documents.
 *
 * <p>The mapper reads and writes the application's classes by reflection. Classes on the class
 * path need nothing; a named module either opens the model's package to this module
 * ({@code opens com.example.model to dev.loam.typed;}) or hands its own lookup to
 * {@link dev.loam.typed.Mapper#of(Class, java.lang.invoke.MethodHandles.Lookup)}.
 */
module dev.loam.typed {
  requires transitive dev.loam.core;
  requires transitive dev.loam.repo;
  requires static transitive org.jspecify;
  requires transitive tools.jackson.databind;

  exports dev.loam.typed;
}
