package io.cantor.scheduler.auth;

/** What a key may do. {@code ADMIN} implies {@code SUBMIT} and {@code READ}; {@code AGENT} opens only {@code /agent/v1/*}. */
public enum Role {
    SUBMIT,
    READ,
    ADMIN,
    AGENT;

    public boolean grants(Role needed) {
        return this == needed || (this == ADMIN && (needed == SUBMIT || needed == READ));
    }
}
