/**
 * Secure documents: device identities ({@link dev.loam.secure.Identity}) and their public, printable
 * form ({@link dev.loam.secure.MemberId}); the signed items of a secure document and the rules that
 * decide, without any key, who may do what.
 *
 * <p>Start a document with {@link dev.loam.secure.MembershipOp.Genesis#create}; its id is
 * {@code op.documentId()}. Read items with {@link dev.loam.secure.SecureItem#decode} and feed them to
 * a {@link dev.loam.secure.SecureLog} ({@code admit}), which says who is a member at which
 * {@link dev.loam.secure.Level} and which envelopes are valid. {@link dev.loam.secure.Epochs} builds
 * the membership ops a member issues (share, unshare, rotate) and picks the epoch a writer
 * encrypts under; {@link dev.loam.secure.KeyRing} holds the epoch keys an identity can open.
 */
@NullMarked
package dev.loam.secure;

import org.jspecify.annotations.NullMarked;
