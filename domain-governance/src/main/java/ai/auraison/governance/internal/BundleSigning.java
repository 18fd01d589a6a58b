package ai.auraison.governance.internal;

import ai.auraison.governance.policy.PolicyBundle;
import ai.auraison.governance.policy.PolicyBundles;
import ai.auraison.governance.policy.PolicySet;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs edge policy bundles. The Ed25519 key pair is generated at first start and kept in {@code
 * governance.signing_keys}, so that every replica signs with the same key (ADR 0055); edges trust its public key.
 */
final class BundleSigning {

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;
    private final Clock clock;

    BundleSigning(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.clock = clock;
        record Stored(byte[] pub, byte[] priv) {}
        Stored stored = tx.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('governance.signing_keys'))")
                    .query()
                    .singleRow();
            var existing = jdbc.sql(
                            "SELECT public_key, private_key FROM governance.signing_keys ORDER BY created_at LIMIT 1")
                    .query((rs, i) -> new Stored(rs.getBytes(1), rs.getBytes(2)))
                    .optional();
            if (existing.isPresent()) return existing.get();
            KeyPair pair;
            try {
                pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no Ed25519", e);
            }
            jdbc.sql("INSERT INTO governance.signing_keys (key_id, public_key, private_key) VALUES (?, ?, ?)")
                    .params(
                            PolicyBundles.keyIdOf(pair.getPublic()),
                            pair.getPublic().getEncoded(),
                            pair.getPrivate().getEncoded())
                    .update();
            return new Stored(pair.getPublic().getEncoded(), pair.getPrivate().getEncoded());
        });
        this.publicKey = PolicyBundles.publicKey(Base64.getEncoder().encodeToString(stored.pub()));
        this.privateKey = PolicyBundles.privateKey(stored.priv());
        this.keyId = PolicyBundles.keyIdOf(publicKey);
    }

    String keyId() {
        return keyId;
    }

    /** The public key as edges configure it: base64 of its X.509 encoding. */
    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** A bundle of {@code sets} for {@code tenant}, issued now and signed. */
    byte[] sign(
            String tenant,
            List<PolicySet> sets,
            PolicySet staleAllowList,
            Duration maxAge,
            ai.auraison.contract.PolicyEffect fallback) {
        PolicyBundle bundle = new PolicyBundle(
                tenant,
                PolicyBundles.versionOf(sets, staleAllowList, fallback),
                clock.instant(),
                maxAge,
                fallback,
                sets,
                staleAllowList);
        return PolicyBundles.sign(bundle, privateKey, keyId);
    }
}
