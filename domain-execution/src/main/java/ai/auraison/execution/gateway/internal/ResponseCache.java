package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.TenantId;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The exact-match response cache: answers (whole JSON bodies, or the complete event stream as the caller received
 * it) keyed by tenant, API and the exact request body (or the caller's {@code cf-aig-cache-key}), each kept for its
 * own TTL, bounded in count. As in Cloudflare's cache, concurrent identical requests may all miss. Thread-safe.
 */
final class ResponseCache {

    /**
     * A cached answer and what the accounting of a hit needs.
     *
     * @param body the bytes the caller received
     * @param stream whether it is an event stream
     * @param ttl how long it is kept
     */
    record Entry(
            byte[] body,
            boolean stream,
            String deployment,
            String model,
            String provider,
            long tokensIn,
            long tokensOut,
            Duration ttl) {}

    private final Cache<String, Entry> entries;

    ResponseCache(long maxEntries) {
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return value.ttl().toNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    static String key(TenantId tenant, ApiFormat api, byte[] body, String callerKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(tenant.value().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(api.wireName().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            if (callerKey != null) {
                sha.update((byte) 1);
                sha.update(callerKey.getBytes(StandardCharsets.UTF_8));
            } else {
                sha.update((byte) 2);
                sha.update(body);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    Entry get(String key) {
        return entries.getIfPresent(key);
    }

    void put(String key, Entry entry) {
        entries.put(key, entry);
    }
}
