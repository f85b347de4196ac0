/** The secure documents' wire protocol: a device's side of syncing with a Loam server. */
@NullMarked
package dev.loam.secure.net;

import org.jspecify.annotations.NullMarked;
