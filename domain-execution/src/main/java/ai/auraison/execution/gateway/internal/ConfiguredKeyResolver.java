package ai.auraison.execution.gateway.internal;

import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.execution.gateway.GatewayCaller;
import ai.auraison.execution.gateway.GatewayException;
import ai.auraison.execution.gateway.GatewayProperties;
import ai.auraison.execution.gateway.spi.GatewayCallerResolver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The default {@link GatewayCallerResolver} until governance lands: the key is read from
 * {@code cf-aig-authorization}, {@code Authorization: Bearer} or {@code x-api-key} (in that order) and looked up
 * among {@code auraison.gateway.keys} by its SHA-256 digest (no secret is kept in clear). An unknown or missing key
 * is tenant {@code default}, key {@code anonymous}, unless keys are required (401).
 */
final class ConfiguredKeyResolver implements GatewayCallerResolver {

    private record Known(String keyId, TenantId tenant) {}

    private final Map<String, Known> byDigest = new HashMap<>();
    private final boolean required;

    ConfiguredKeyResolver(GatewayProperties properties) {
        properties
                .keys()
                .forEach((id, key) -> byDigest.put(digest(key.secret()), new Known(id, TenantId.of(key.tenant()))));
        this.required = properties.requireKey();
    }

    @Override
    public GatewayCaller resolve(RequestHeaders headers) {
        RunId runId = headers.runId();
        String key = bearer(headers.get("cf-aig-authorization"));
        if (key == null) key = bearer(headers.get("authorization"));
        if (key == null) key = blankToNull(headers.get("x-api-key"));
        Known known = key == null || byDigest.isEmpty() ? null : byDigest.get(digest(key));
        if (known != null) return new GatewayCaller(known.tenant(), known.keyId(), runId);
        if (required) {
            throw new GatewayException(
                    GatewayException.Kind.AUTHENTICATION,
                    "invalid_api_key",
                    key == null
                            ? "An API key is required (Authorization: Bearer <key> or x-api-key)"
                            : "Invalid API key",
                    null,
                    0);
        }
        return new GatewayCaller(GatewayCaller.DEFAULT_TENANT, "anonymous", runId);
    }

    private static String bearer(String header) {
        if (header == null) return null;
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) h = h.substring(7).trim();
        return blankToNull(h);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String digest(String secret) {
        try {
            // a clone is much cheaper than a provider lookup per request
            MessageDigest sha = (MessageDigest) SHA_256.clone();
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests cannot be cloned on this JDK", e);
        }
    }
}
