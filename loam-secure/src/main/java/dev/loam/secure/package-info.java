/**
 * Secure documents: device identities ({@link dev.loam.secure.Identity}) and their public, printable
 * form ({@link dev.loam.secure.MemberId}).
 */
@NullMarked
package dev.loam.secure;

import org.jspecify.annotations.NullMarked;
