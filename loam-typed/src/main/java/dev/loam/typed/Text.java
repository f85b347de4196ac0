package dev.loam.typed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code String} component as collaborative text: stored as an Automerge text object and
 * written by a character diff, so concurrent edits of two replicas merge per character instead of
 * one replacing the other. Without it a string is a scalar (last writer wins), unless the document
 * already holds a text object there (as Automerge JS writes every string), which is then kept and
 * edited by the same diff.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.TYPE_USE})
public @interface Text {}
