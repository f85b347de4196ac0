package dev.loam.typed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares what a component reads as when the document lacks it (or holds {@code null}): the
 * value written as text, parsed for the component's type — a number, {@code true}/{@code false},
 * an enum constant's name, an ISO-8601 instant, a counter's value, or the string itself. Only
 * scalar components (and {@code Optional}s of them) take a default; a default that does not
 * parse fails when the mapper is built, naming the component.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Default {
  /** The default, as text. */
  String value();
}
