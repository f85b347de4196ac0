/**
 * The document engine behind {@link dev.loam.Document}: the op set and its readers, the change
 * history, local transactions, change application, load and save, and patches.
 *
 * <p>Start with {@link dev.loam.internal.doc.DocEngine}, which owns the op set ({@code OpSet}),
 * the history ({@code History}) and the queue of changes waiting for dependencies; reads go
 * through {@link dev.loam.internal.doc.DocReader}, writes through {@link
 * dev.loam.internal.doc.LocalTx}. Not exported from the module.
 */
@NullMarked
package dev.loam.internal.doc;

import org.jspecify.annotations.NullMarked;
