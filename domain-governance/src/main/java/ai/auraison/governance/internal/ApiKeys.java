package ai.auraison.governance.internal;

import ai.auraison.contract.TenantId;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API keys: issued once in plain text ({@code ak_<prefix>_<secret>}, 256 random bits), stored only as their SHA-256,
 * looked up by that hash, rotated (the old key keeps working for a grace period), revoked, and expiring.
 *
 * <p>A verified key is trusted for {@code cacheTtl} without asking PostgreSQL again, so authentication costs a hash and
 * a map lookup on the hot path; revoking, rotating, or disabling a principal clears this replica's cache at once, other
 * replicas' within the TTL. A fast hash is right here because the keys are random (ADR 0052): there is nothing to
 * guess, so a slow KDF would only slow every request down. Thread-safe.
 */
final class ApiKeys {

    /** A key just issued: the only time its plain text exists outside the client. */
    record Issued(UUID keyId, String key, String prefix, Instant expiresAt) {}

    record KeyView(
            UUID keyId,
            String principal,
            String prefix,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            UUID replacedBy) {}

    private record Cached(Caller caller, Instant keyExpiresAt, long loadedAtNanos) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
    private static final int MAX_CACHED = 100_000;

    private final JdbcClient jdbc;
    private final Duration cacheTtl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ApiKeys(JdbcClient jdbc, Duration cacheTtl, Clock clock) {
        this.jdbc = jdbc;
        this.cacheTtl = cacheTtl;
        this.clock = clock;
    }

    /** Issues a new key for a principal. */
    Issued issue(String tenant, String principal, Instant expiresAt, String by) {
        String prefix = randomPrefix();
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key =
                "ak_" + prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return store(tenant, principal, key, "ak_" + prefix, expiresAt, by);
    }

    /** Stores a key chosen elsewhere (the bootstrap key from the environment); at least 24 characters. */
    Issued adopt(String tenant, String principal, String key, String by) {
        if (key.length() < 24) {
            throw new IllegalArgumentException("the bootstrap admin key must have at least 24 characters");
        }
        String prefix = key.startsWith("ak_") && key.indexOf('_', 3) > 3
                ? key.substring(0, key.indexOf('_', 3))
                : key.substring(0, 4) + "…";
        return store(tenant, principal, key, prefix, null, by);
    }

    private Issued store(String tenant, String principal, String key, String prefix, Instant expiresAt, String by) {
        UUID id = UUID.randomUUID();
        jdbc.sql(
                        "INSERT INTO governance.api_keys (key_id, tenant, principal, prefix, key_sha256, created_by, expires_at) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(
                        id,
                        tenant,
                        principal,
                        prefix,
                        sha256(key),
                        by,
                        expiresAt == null ? null : Timestamp.from(expiresAt))
                .update();
        return new Issued(id, key, prefix, expiresAt);
    }

    /** The caller a presented key stands for; empty for an unknown, revoked or expired key or a disabled principal. */
    Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 512) return Optional.empty();
        byte[] hash = sha256(presented);
        String cacheKey = HexFormat.of().formatHex(hash);
        Cached c = cache.get(cacheKey);
        Instant now = clock.instant();
        if (c != null
                && System.nanoTime() - c.loadedAtNanos() < cacheTtl.toNanos()
                && (c.keyExpiresAt() == null || c.keyExpiresAt().isAfter(now))) {
            return Optional.of(c.caller());
        }
        record Row(Caller caller, Instant expiresAt) {}
        Optional<Row> row = jdbc.sql(
                        "SELECT k.tenant, k.principal, p.kind, p.roles, k.expires_at FROM governance.api_keys k "
                                + "JOIN governance.principals p ON p.tenant = k.tenant AND p.principal = k.principal "
                                + "WHERE k.key_sha256 = ? AND k.revoked_at IS NULL AND NOT p.disabled "
                                + "AND (k.expires_at IS NULL OR k.expires_at > ?)")
                .params(hash, Timestamp.from(now))
                .query((rs, i) -> new Row(
                        new Caller(
                                rs.getString(2),
                                Caller.Kind.of(rs.getString(3)),
                                TenantId.of(rs.getString(1)),
                                TenantDirectory.roles(rs.getArray(4))),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant()))
                .optional();
        if (row.isEmpty()) {
            cache.remove(cacheKey);
            return Optional.empty();
        }
        if (cache.size() >= MAX_CACHED) cache.clear();
        cache.put(cacheKey, new Cached(row.get().caller(), row.get().expiresAt(), System.nanoTime()));
        return Optional.of(row.get().caller());
    }

    /** Revokes a key of {@code tenant}; 404 for a key of another tenant. */
    KeyView revoke(String tenant, UUID keyId) {
        int n = jdbc.sql(
                        "UPDATE governance.api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ? AND tenant = ?")
                .params(Timestamp.from(clock.instant()), keyId, tenant)
                .update();
        if (n == 0) throw ProblemException.notFound("key", keyId);
        forgetAll();
        return view(tenant, keyId);
    }

    /**
     * Replaces a key with a new one for the same principal; the old key keeps working for {@code grace} (zero: it is
     * revoked at once). 409 for a key already revoked.
     */
    Issued rotate(String tenant, UUID keyId, Duration grace, String by) {
        KeyView old = view(tenant, keyId);
        if (old.revokedAt() != null) {
            throw ProblemException.conflict("key-revoked", "key " + keyId + " is revoked and cannot be rotated");
        }
        Issued fresh = issue(tenant, old.principal(), old.expiresAt(), by);
        Instant end = clock.instant().plus(grace);
        jdbc.sql("UPDATE governance.api_keys SET replaced_by = ?, "
                        + "expires_at = LEAST(COALESCE(expires_at, ?), ?), revoked_at = ?::timestamptz "
                        + "WHERE key_id = ?")
                .params(
                        fresh.keyId(),
                        Timestamp.from(end),
                        Timestamp.from(end),
                        grace.isZero() ? Timestamp.from(end) : null,
                        keyId)
                .update();
        forgetAll();
        return fresh;
    }

    KeyView view(String tenant, UUID keyId) {
        return jdbc.sql(SELECT_VIEW + " WHERE key_id = ? AND tenant = ?")
                .params(keyId, tenant)
                .query(ApiKeys::mapView)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("key", keyId));
    }

    List<KeyView> list(String tenant, String principal) {
        return jdbc.sql(SELECT_VIEW + " WHERE tenant = ? AND principal = ? ORDER BY created_at, key_id")
                .params(tenant, principal)
                .query(ApiKeys::mapView)
                .list();
    }

    /** Forgets every verified key (after a revocation, rotation or a principal's change). */
    void forgetAll() {
        cache.clear();
    }

    private static final String SELECT_VIEW =
            "SELECT key_id, principal, prefix, created_by, created_at, expires_at, revoked_at, replaced_by FROM governance.api_keys";

    private static KeyView mapView(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new KeyView(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(),
                rs.getObject(8, UUID.class));
    }

    private static String randomPrefix() {
        StringBuilder sb = new StringBuilder(8);
        for (int i = 0; i < 8; i++) sb.append(PREFIX_ALPHABET.charAt(RANDOM.nextInt(PREFIX_ALPHABET.length())));
        return sb.toString();
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
