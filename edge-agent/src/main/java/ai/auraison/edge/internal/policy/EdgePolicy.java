package ai.auraison.edge.internal.policy;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.BundleRejectedException;
import ai.auraison.governance.policy.EdgePolicyDecider;
import ai.auraison.governance.policy.PolicyBundle;
import ai.auraison.governance.policy.PolicyBundles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's policy: decisions on intents and tool calls from the last verified policy bundle central published (RFC
 * SYS-022, ADR 0059), through the governance module's {@link EdgePolicyDecider}. Active only on an edge linked to a
 * governed central (a central URL and an edge key).
 *
 * <p>Trust: the bundle key is the configured one ({@code auraison.edge.policy.bundle-key}), or, when none is configured,
 * the one central serves at first contact, pinned in {@code <data>/edge/policy/bundle-key.json} from then on (trust on
 * first use; a later key from central is refused). The tenant is the configured one, or the tenant of the first
 * verified bundle, pinned the same way. The last verified bundle is kept in {@code bundle.json} and installed again at
 * start, so a restarted edge with central away still decides from it (degraded).
 *
 * <p>Degraded decisions (central unreachable, the bundle stale, or no bundle yet) are counted and logged here; each
 * decision on a run also becomes the run's {@code PolicyDecided} event, durable in the edge store and shipped to
 * central, with its reason marked {@code [degraded]}.
 */
public final class EdgePolicy implements PolicyHook {

    private static final Logger log = LoggerFactory.getLogger(EdgePolicy.class);

    private final Path dir;
    private final String configuredKey;
    private final String configuredTenant;
    private final Duration maxAge;
    private final Clock clock;
    private final MeterRegistry metrics;
    private volatile String keyId;
    private volatile PublicKey key;
    private volatile EdgePolicyDecider decider;
    private volatile boolean reachable;
    private volatile boolean degradedLogged;
    private final Map<String, Counter> degradedCounters = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param dir where the pinned key, the pinned tenant and the last verified bundle are kept
     * @param configuredKey central's bundle key (base64 X.509 Ed25519), or null to pin the first one central serves
     * @param configuredTenant this edge's tenant, or null to pin the first verified bundle's
     * @param maxAge the edge's own limit on a bundle's age when stricter than the bundle's, or null
     */
    public EdgePolicy(
            Path dir,
            String configuredKey,
            String configuredTenant,
            Duration maxAge,
            Clock clock,
            MeterRegistry metrics) {
        this.dir = dir;
        this.configuredKey = blankToNull(configuredKey);
        this.configuredTenant = blankToNull(configuredTenant);
        this.maxAge = maxAge;
        this.clock = clock;
        this.metrics = metrics;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the edge policy folder " + dir, e);
        }
        if (this.configuredKey != null) trust(PolicyBundles.publicKey(this.configuredKey));
        else pinned("bundle-key.json").ifPresent(m -> trust(PolicyBundles.publicKey(m.get("publicKey"))));
        loadLastBundle();
    }

    @Override
    public String name() {
        return "edge-policy";
    }

    /** Whether a key to verify bundles with is known (configured or pinned). */
    public boolean hasTrustedKey() {
        return key != null;
    }

    /** Pins the key central serves, on first contact only; a different key later is refused (and logged). */
    public synchronized void pinKey(String servedKeyId, String publicKeyBase64) {
        PublicKey served = PolicyBundles.publicKey(publicKeyBase64);
        if (key != null) {
            if (!PolicyBundles.keyIdOf(served).equals(keyId)) {
                log.error(
                        "central serves bundle key {}, but this edge trusts {}; bundles signed with it are refused "
                                + "(configure auraison.edge.policy.bundle-key, or remove {} to trust the new one)",
                        PolicyBundles.keyIdOf(served),
                        keyId,
                        dir.resolve("bundle-key.json"));
            }
            return;
        }
        if (!PolicyBundles.keyIdOf(served).equals(servedKeyId)) {
            throw new BundleRejectedException("central's bundle key id " + servedKeyId + " does not match its key");
        }
        trust(served);
        write("bundle-key.json", Map.of("keyId", keyId, "publicKey", publicKeyBase64));
        log.info("pinned central's policy bundle key {} (trust on first use)", keyId);
    }

    /**
     * Verifies and installs a bundle just pulled from central and keeps it for restarts; central counts as reachable.
     * Throws {@link BundleRejectedException} (keeping the bundle in force) for a bundle that does not verify, is
     * another tenant's, or is older than the one in force.
     */
    public synchronized PolicyBundle install(byte[] envelope) {
        boolean before = reachable;
        reachable = true; // before installing: a decider created now must not start out degraded
        PolicyBundle installed;
        try {
            installed = installQuietly(envelope);
        } catch (RuntimeException e) {
            reachable = before;
            throw e;
        }
        write("bundle.json", envelope);
        degradedLogged = false;
        return installed;
    }

    /** A pull failed: decisions are degraded until the next successful {@link #install}. */
    public void centralUnreachable() {
        reachable = false;
        EdgePolicyDecider d = decider;
        if (d != null) d.centralUnreachable();
    }

    /** The bundle in force, if any. */
    public Optional<PolicyBundle> bundle() {
        EdgePolicyDecider d = decider;
        return d == null ? Optional.empty() : d.bundle();
    }

    /** What the edge's health reports of its policy. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keyId", keyId == null ? "none yet" : keyId);
        bundle().ifPresentOrElse(
                        b -> {
                            out.put("tenant", b.tenant());
                            out.put("bundleVersion", b.version());
                            out.put("issuedAt", b.issuedAt().toString());
                            out.put(
                                    "ageSeconds",
                                    Duration.between(b.issuedAt(), clock.instant())
                                            .toSeconds());
                        },
                        () -> out.put("bundle", "none yet: every decision is a deny (edge-policy/no-bundle)"));
        out.put("degraded", !reachable || bundle().isEmpty());
        return out;
    }

    @Override
    public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
        // the edge gateway asks every hook again after a model call, to settle budgets: informational, nothing to
        // decide
        if (subject instanceof PolicySubject.ModelCallSubject
                && ai.auraison.contract.spi.ModelCallPhases.isSettlement(context)) {
            return new PolicyDecision.Allow("edge-policy/settle", "");
        }
        EdgePolicyDecider d = decider;
        EdgePolicyDecider.Decision decision;
        if (d == null) {
            decision = EdgePolicyDecider.noBundle();
            degraded(subject, context, decision);
        } else {
            decision = d.decideInDetail(subject, context);
        }
        return decision.decision();
    }

    private PolicyBundle installQuietly(byte[] envelope) {
        if (key == null) throw new BundleRejectedException("no trusted bundle key yet");
        EdgePolicyDecider d = decider;
        if (d == null) {
            String tenant = configuredTenant;
            if (tenant == null) {
                tenant = pinned("tenant.json")
                        .map(m -> m.get("tenant"))
                        .orElseGet(() -> PolicyBundles.verify(envelope, Map.of(keyId, key))
                                .tenant());
            }
            d = new EdgePolicyDecider(Map.of(keyId, key), tenant, maxAge, clock, this::degraded);
            PolicyBundle b = d.install(envelope);
            if (configuredTenant == null && pinned("tenant.json").isEmpty())
                write("tenant.json", Map.of("tenant", b.tenant()));
            if (!reachable) d.centralUnreachable();
            decider = d;
            return b;
        }
        PolicyBundle b = d.install(envelope);
        if (!reachable) d.centralUnreachable();
        return b;
    }

    private void loadLastBundle() {
        Path last = dir.resolve("bundle.json");
        if (!Files.exists(last) || key == null) return;
        try {
            PolicyBundle b = installQuietly(Files.readAllBytes(last));
            centralUnreachable();
            log.info(
                    "installed the last verified policy bundle {} of tenant {} (issued {}); degraded until central "
                            + "answers",
                    b.version(),
                    b.tenant(),
                    b.issuedAt());
        } catch (IOException | RuntimeException e) {
            log.warn("the kept policy bundle {} is not usable ({}); waiting for central's", last, e.getMessage());
        }
    }

    private void degraded(PolicySubject subject, DecisionContext context, EdgePolicyDecider.Decision d) {
        String effect = d.decision().effect().name().toLowerCase(java.util.Locale.ROOT);
        degradedCounters
                .computeIfAbsent(
                        effect + "/" + d.stale(),
                        k -> Counter.builder("auraison.edge.policy.degraded.decisions")
                                .description(
                                        "Policy decisions taken at the edge without a fresh bundle from a reachable central")
                                .tag("effect", effect)
                                .tag("stale", Boolean.toString(d.stale()))
                                .register(metrics))
                .increment();
        // one line at INFO per degraded spell (until the next fresh bundle), the rest at DEBUG: a maze run decides
        // over a hundred tool and model calls
        boolean first = !degradedLogged;
        degradedLogged = true;
        (first ? log.atInfo() : log.atDebug())
                .log(
                        "degraded policy decision on {} of tenant {}: {} ({}: {}); further ones until central answers at DEBUG",
                        subject.getClass().getSimpleName(),
                        context.tenant() == null ? "-" : context.tenant().value(),
                        d.decision().effect(),
                        d.decision().rule(),
                        d.decision().reason());
    }

    private void trust(PublicKey k) {
        key = k;
        keyId = PolicyBundles.keyIdOf(k);
    }

    private Optional<Map<String, String>> pinned(String file) {
        Path p = dir.resolve(file);
        if (!Files.exists(p)) return Optional.empty();
        try {
            @SuppressWarnings("unchecked")
            Map<String, String> m = ContractJson.read(Files.readAllBytes(p), Map.class);
            return Optional.of(m);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the pinned " + p + " is unreadable; remove it to pin again", e);
        }
    }

    private void write(String file, Object content) {
        byte[] bytes = content instanceof byte[] b ? b : ContractJson.writeBytes(content);
        Path target = dir.resolve(file);
        Path tmp = dir.resolve(file + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("could not keep {}: {}", target, e.toString());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
