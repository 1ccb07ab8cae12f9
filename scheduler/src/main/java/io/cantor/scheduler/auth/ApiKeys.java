package io.cantor.scheduler.auth;

import com.hazelcast.map.IMap;
import io.cantor.model.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Tenants' API keys and agents' tokens, stored by the SHA-256 of the secret (keys are random and
 * long, so a plain hash suffices; the secret itself is never stored). Lookups hit a near cache.
 */
public final class ApiKeys {
    public static final String MAP = "api-keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final IMap<String, ApiKey> keys;
    private final InstantSource clock;

    public ApiKeys(Vertx vertx, IMap<String, ApiKey> keys, InstantSource clock) {
        this.vertx = vertx;
        this.keys = keys;
        this.clock = clock;
    }

    /** A new random secret, e.g. {@code ck_3q2...}; shown once to whoever asked for it. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Future<Optional<Principal>> authenticate(String secret) {
        return Future.fromCompletionStage(keys.getAsync(sha256(secret)), vertx.getOrCreateContext())
                .map(key -> key == null || key.revoked()
                        ? Optional.empty()
                        : Optional.of(new Principal(key.id(), key.tenant(), key.roles())));
    }

    /** Stores the given secret for a tenant (idempotent): the bootstrap admin key and agent token. Blocking. */
    public ApiKey register(String secret, String tenant, Set<Role> roles) {
        String hash = sha256(secret);
        ApiKey key = new ApiKey(Ids.newId(clock), tenant, roles, hash, clock.instant(), null);
        ApiKey previous = keys.putIfAbsent(hash, key);
        return previous != null ? previous : key;
    }

    static String sha256(String secret) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
