package io.cantor.rvc;

/**
 * Training produced only non-finite losses or gradients for many steps in a row. A job is seeded,
 * so running it again on the same recordings diverges again: agents report this as fatal.
 */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
