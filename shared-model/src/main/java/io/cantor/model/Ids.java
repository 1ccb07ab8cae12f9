package io.cantor.model;

import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.UUID;

/**
 * Time-ordered identifiers (UUID version 7): they sort by creation time, which keeps database
 * indexes and cursor pagination cheap, and carry 74 random bits so they cannot be guessed.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(InstantSource clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextInt(1 << 12);
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** Whether a client-supplied id is shaped like ours, so lookups never see arbitrary strings. */
    public static boolean isWellFormed(String id) {
        if (id == null || id.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
