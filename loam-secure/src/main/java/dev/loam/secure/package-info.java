/**
 * Secure documents: device identities ({@link dev.loam.secure.Identity}) and their public, printable
 * form ({@link dev.loam.secure.MemberId}); the signed items of a secure document and the rules that
 * decide, without any key, who may do what; and each member's decrypted view of it.
 *
 * <p>Applications start with {@link dev.loam.secure.SecureRepo#of} over a repo with storage, then
 * {@code create()} or {@code open(id)}; write on {@link dev.loam.secure.SecureDocument#document()} as
 * on any document and {@code save} it to seal the changes into signed, encrypted envelopes;
 * {@link dev.loam.secure.SecureDocument#share} and {@code unshare} manage the members.
 *
 * <p>Underneath: start a document with {@link dev.loam.secure.MembershipOp.Genesis#create}; its id is
 * {@code op.documentId()}. Read items with {@link dev.loam.secure.SecureItem#decode} and feed them to
 * a {@link dev.loam.secure.SecureLog} ({@code admit}), which says who is a member at which
 * {@link dev.loam.secure.Level} and which envelopes are valid. {@link dev.loam.secure.Epochs} builds
 * the membership ops a member issues (share, unshare, rotate) and picks the epoch a writer
 * encrypts under; {@link dev.loam.secure.KeyRing} holds the epoch keys an identity can open.
 *
 * <p>Alice shares a document with Bob; Mallory, who holds the same items, reads nothing:
 * {@snippet class=dev.loam.secure.SecureExampleTest region=example}
 */
@NullMarked
package dev.loam.secure;

import org.jspecify.annotations.NullMarked;
