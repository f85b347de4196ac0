/**
 * Secure documents: device identities ({@link dev.loam.secure.Identity}) and their public, printable
 * form ({@link dev.loam.secure.MemberId}).
 *
 * <p>Start with {@link dev.loam.secure.SecureRepo#of} over a repo with storage, then {@code create()}
 * or {@code open(id)}; write on {@link dev.loam.secure.SecureDocument#document()} as on any document
 * and {@code save} it to seal the changes into signed, encrypted envelopes;
 * {@link dev.loam.secure.SecureDocument#share} and {@code unshare} manage the members.
 */
@NullMarked
package dev.loam.secure;

import org.jspecify.annotations.NullMarked;
