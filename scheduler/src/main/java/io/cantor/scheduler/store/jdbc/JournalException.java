package io.cantor.scheduler.store.jdbc;

/** The database refused or failed a journal operation. */
public final class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(cause == null ? message : message + ": " + cause.getMessage(), cause);
    }
}
