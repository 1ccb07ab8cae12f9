package io.cantor.model;

/** One violated input rule, naming the field the way a client wrote it (e.g. {@code params.epochs}). */
public record FieldError(String field, String message) {
}
