package dev.loam;

/** A rich-text mark: {@code name} set to {@code value} over the UTF-16 range [{@code start}, {@code end}) of a text. */
public record Mark(int start, int end, String name, ScalarValue value) {}
