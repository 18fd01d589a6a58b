package ai.auraison.governance.policy;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.PolicyEffect;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Signs and verifies policy bundles with Ed25519 (the JDK's own provider). The wire form is a JSON envelope
 * {@code {"keyId", "payload", "signature"}} where {@code payload} is the base64 of the exact UTF-8 JSON bytes that were
 * signed, so verification never depends on re-serialising anything. Stateless and thread-safe.
 */
public final class PolicyBundles {

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private PolicyBundles() {}

    /** The signed envelope of {@code bundle}, as UTF-8 JSON bytes. */
    public static byte[] sign(PolicyBundle bundle, PrivateKey key, String keyId) {
        byte[] payload = ContractJson.writeBytes(payloadMap(bundle));
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(payload);
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("keyId", keyId);
            envelope.put("payload", B64.encodeToString(payload));
            envelope.put("signature", B64.encodeToString(signer.sign()));
            return ContractJson.writeBytes(envelope);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign the policy bundle", e);
        }
    }

    /**
     * The bundle inside {@code envelope}, when it is signed by one of {@code trusted} (key id → public key) and well
     * formed; otherwise a {@link BundleRejectedException} saying why.
     */
    public static PolicyBundle verify(byte[] envelope, Map<String, PublicKey> trusted) {
        Map<?, ?> env;
        try {
            env = ContractJson.read(envelope, Map.class);
        } catch (JacksonException e) {
            throw new BundleRejectedException("the bundle is not JSON");
        }
        if (!(env.get("keyId") instanceof String keyId)
                || !(env.get("payload") instanceof String payload64)
                || !(env.get("signature") instanceof String signature64)) {
            throw new BundleRejectedException("the bundle needs keyId, payload and signature");
        }
        PublicKey key = trusted.get(keyId);
        if (key == null) throw new BundleRejectedException("the bundle is signed by an untrusted key " + keyId);
        byte[] payload;
        try {
            payload = B64D.decode(payload64);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(payload);
            if (!verifier.verify(B64D.decode(signature64))) {
                throw new BundleRejectedException("the bundle's signature does not verify");
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new BundleRejectedException("the bundle's signature does not verify: " + e.getMessage());
        }
        try {
            return fromPayload(ContractJson.read(payload, Map.class));
        } catch (JacksonException | InvalidPolicyException | IllegalArgumentException | ClassCastException e) {
            throw new BundleRejectedException("the signed payload is not a policy bundle: " + e.getMessage());
        }
    }

    /** A content hash of policies: the version of a bundle that holds them. */
    public static String versionOf(List<PolicySet> sets, PolicySet staleAllowList, PolicyEffect fallback) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("fallback", PolicyDocuments.wire(fallback));
        content.put("sets", sets.stream().map(PolicyDocuments::toMap).toList());
        if (staleAllowList != null) content.put("staleAllowList", PolicyDocuments.toMap(staleAllowList));
        return sha256(ContractJson.writeBytes(content)).substring(0, 16);
    }

    /** The id of a public key: the first 16 hex digits of the SHA-256 of its X.509 encoding. */
    public static String keyIdOf(PublicKey key) {
        return sha256(key.getEncoded()).substring(0, 16);
    }

    /** An Ed25519 public key from the base64 of its X.509 encoding (what central serves and operators configure). */
    public static PublicKey publicKey(String x509Base64) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(B64D.decode(x509Base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key (base64 X.509)", e);
        }
    }

    /** An Ed25519 private key from its PKCS#8 encoding. */
    public static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 private key (PKCS#8)", e);
        }
    }

    private static Map<String, Object> payloadMap(PolicyBundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", PolicyBundle.FORMAT);
        m.put("tenant", b.tenant());
        m.put("version", b.version());
        m.put("issuedAt", b.issuedAt().toString());
        m.put("maxAge", b.maxAge().toString());
        m.put("fallback", PolicyDocuments.wire(b.fallback()));
        m.put("sets", b.sets().stream().map(PolicyDocuments::toMap).toList());
        m.put("staleAllowList", PolicyDocuments.toMap(b.staleAllowList()));
        return m;
    }

    private static PolicyBundle fromPayload(Map<?, ?> m) {
        if (!PolicyBundle.FORMAT.equals(m.get("format"))) {
            throw new BundleRejectedException("unknown bundle format " + m.get("format"));
        }
        List<PolicySet> sets = new ArrayList<>();
        for (Object s : (List<?>) m.get("sets")) sets.add(PolicyDocuments.fromMap((Map<?, ?>) s));
        PolicyEffect fallback = switch (String.valueOf(m.get("fallback"))) {
            case "allow" -> PolicyEffect.ALLOW;
            case "deny" -> PolicyEffect.DENY;
            case "require_approval" -> PolicyEffect.REQUIRE_APPROVAL;
            default -> throw new BundleRejectedException("unknown fallback " + m.get("fallback"));
        };
        return new PolicyBundle(
                (String) m.get("tenant"),
                (String) m.get("version"),
                Instant.parse((String) m.get("issuedAt")),
                Duration.parse((String) m.get("maxAge")),
                fallback,
                sets,
                PolicyDocuments.fromMap((Map<?, ?>) m.get("staleAllowList")));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
