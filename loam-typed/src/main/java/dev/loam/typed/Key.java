package dev.loam.typed;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the component that identifies an element of a list: when a list of such elements is
 * written, elements with equal keys are the same element, edited in place field by field (so a
 * collaborator's concurrent edit of another field survives); without a key, elements are the same
 * only when they are equal. At most one component of a class carries it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Key {}
