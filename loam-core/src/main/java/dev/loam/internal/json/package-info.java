/**
 * Prints materialised documents as JSON, with the mapping {@code loam doc json} promises: what
 * Automerge JS's {@code toJS} gives, made printable. Start with {@link
 * dev.loam.internal.json.JsonWriter#write(Object)}.
 */
@NullMarked
package dev.loam.internal.json;

import org.jspecify.annotations.NullMarked;
