package io.cantor.scheduler.auth;

import com.hazelcast.map.IMap;
import io.cantor.scheduler.cluster.LocalCopies;
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
 * long, so a plain hash suffices; the secret itself is never stored). Lookups hit this member's {@link LocalCopies}.
 */
public final class ApiKeys {
    public static final String MAP = "api-keys";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx;
    private final IMap<String, ApiKey> keys;
    private final LocalCopies<String, ApiKey> copies;
    private final InstantSource clock;

    public ApiKeys(Vertx vertx, IMap<String, ApiKey> keys, InstantSource clock) {
        this.vertx = vertx;
        this.keys = keys;
        this.copies = new LocalCopies<>(keys, 10_000); // every request authenticates
        this.clock = clock;
    }

    /** A new random secret, e.g. {@code ck_3q2...}; shown once to whoever asked for it. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "ck_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Future<Optional<Principal>> authenticate(String secret) {
        return Future.fromCompletionStage(copies.get(sha256(secret)), vertx.getOrCreateContext())
                .map(key -> key == null || key.revoked()
                        ? Optional.empty()
                        : Optional.of(new Principal(key.id(), key.tenant(), key.roles())));
    }

    /** A key just made: its record and its secret, which is shown once and never stored. */
    public record Issued(ApiKey key, String secret) {
    }

    public Future<Issued> create(String tenant, Set<Role> roles) {
        String secret = newSecret();
        ApiKey key = new ApiKey(Ids.newId(clock), tenant, roles, sha256(secret), clock.instant(), null);
        return Future.fromCompletionStage(keys.setAsync(key.sha256(), key), vertx.getOrCreateContext())
                .map(v -> new Issued(key, secret));
    }

    /** Keys of one tenant (or all when null), newest first; never their secrets. Reads the map on a worker. */
    public Future<java.util.List<ApiKey>> list(String tenant) {
        return vertx.executeBlocking(() -> keys.values().stream()
                .filter(k -> tenant == null || k.tenant().equals(tenant))
                .sorted(java.util.Comparator.comparing(ApiKey::createdAt).reversed())
                .toList());
    }

    /** Revokes by id: the key stops working here at once and on the other nodes within milliseconds (their copies are dropped). */
    public Future<java.util.Optional<ApiKey>> revoke(String id) {
        return vertx.executeBlocking(() -> {
            for (ApiKey key : keys.values()) {
                if (key.id().equals(id)) {
                    ApiKey revoked = key.revoked() ? key
                            : new ApiKey(key.id(), key.tenant(), key.roles(), key.sha256(), key.createdAt(), clock.instant());
                    keys.set(key.sha256(), revoked);
                    copies.forget(key.sha256());
                    return java.util.Optional.of(revoked);
                }
            }
            return java.util.Optional.<ApiKey>empty();
        });
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
