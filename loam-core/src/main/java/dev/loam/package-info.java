/**
 * Loam documents. Start with {@link dev.loam.Document#create()} or {@link
 * dev.loam.Document#load(byte[])}; read with the {@link dev.loam.ReadDoc} methods, write inside
 * {@link dev.loam.Document#transact} or directly on the document and {@link
 * dev.loam.Document#commit()}.
 *
 * <p>Two replicas of one document edit a text concurrently and merge:
 * {@snippet class=dev.loam.DocumentExampleTest region=example}
 */
@NullMarked
package dev.loam;

import org.jspecify.annotations.NullMarked;
