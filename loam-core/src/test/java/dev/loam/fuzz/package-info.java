/** Jazzer fuzz targets and their committed regression corpus. */
package dev.loam.fuzz;
