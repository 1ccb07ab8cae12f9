package io.cantor.scheduler.auth;

import java.time.Instant;
import java.util.Set;

/**
 * A credential as stored: only the SHA-256 of the secret is kept. Agent tokens are keys with the
 * single role {@link Role#AGENT}.
 */
public record ApiKey(String id, String tenant, Set<Role> roles, String sha256, Instant createdAt, Instant revokedAt) {
    public ApiKey {
        roles = Set.copyOf(roles);
    }

    public boolean revoked() {
        return revokedAt != null;
    }
}
