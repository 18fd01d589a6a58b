package ai.auraison.governance.policy;

import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides policy at the edge from the last verified bundle central published, with or without central: the edge's
 * {@link PolicyHook}. Uses no database and no Spring; the edge app pulls bundles on a schedule with its edge key and
 * hands them to {@link #install}, and reports failed pulls with {@link #centralUnreachable()}.
 *
 * <ul>
 *   <li>Fresh bundle, central reachable: the bundle's policies decide, as central would.
 *   <li>Central unreachable (the last pull failed): the same policies decide, but the decision is <b>degraded</b>: its
 *       reason is marked {@code [degraded]}, it is handed to the {@link DegradedAudit}, and a {@code require_approval}
 *       becomes a deny (no operator can be reached to approve).
 *   <li>Bundle older than its max age (or the edge's stricter {@code maxAge}): <b>stale</b>; everything is denied
 *       except what the bundle's stale allow-list allows. Stale decisions are degraded too.
 *   <li>No bundle yet: everything is denied ({@code edge-policy/no-bundle}), degraded.
 * </ul>
 *
 * <p>Thread-safe: the installed bundle and its engines are swapped atomically; decisions read one consistent snapshot.
 */
public final class EdgePolicyDecider implements PolicyHook {

    /** Receives every degraded decision, to be recorded in the edge's audit (and shipped to central later). */
    @FunctionalInterface
    public interface DegradedAudit {
        void record(PolicySubject subject, DecisionContext context, Decision decision);
    }

    /**
     * A decision with how it was taken: {@code degraded} when central was unreachable or the bundle stale,
     * {@code stale} when only the allow-list applied, and the bundle version it came from (null without one).
     */
    public record Decision(
            PolicyDecision decision,
            List<Evaluation.Match> matched,
            boolean degraded,
            boolean stale,
            String bundleVersion) {}

    private record Installed(PolicyBundle bundle, PolicyEngine engine, PolicyEngine staleEngine) {}

    /** What starts the reason of every degraded decision. */
    public static final String DEGRADED = "[degraded] ";

    /** Whether {@code decision} was taken degraded (its reason starts with {@link #DEGRADED}). */
    public static boolean isDegraded(PolicyDecision decision) {
        return decision.reason() != null && decision.reason().startsWith(DEGRADED);
    }

    /** The decision while no verified bundle is installed: a degraded, stale deny. */
    public static Decision noBundle() {
        return new Decision(
                PolicyDecision.deny(
                        "edge-policy/no-bundle", DEGRADED + "no verified policy bundle has been received from central"),
                List.of(),
                true,
                true,
                null);
    }

    private final Map<String, PublicKey> trusted;
    private final String tenant;
    private final Duration maxAge;
    private final Clock clock;
    private final DegradedAudit audit;
    private volatile Installed installed;
    private volatile boolean reachable;

    /**
     * @param trusted the public keys central signs with (key id → key; see {@link PolicyBundles#keyIdOf})
     * @param tenant the edge's tenant; bundles for another tenant are refused
     * @param maxAge the edge's own age limit, applied when stricter than the bundle's (null: the bundle's)
     * @param clock the clock ages are measured by
     * @param audit where degraded decisions go
     */
    public EdgePolicyDecider(
            Map<String, PublicKey> trusted, String tenant, Duration maxAge, Clock clock, DegradedAudit audit) {
        this.trusted = Map.copyOf(trusted);
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public String name() {
        return "edge-policy";
    }

    /**
     * Verifies and installs a bundle just pulled from central (which also marks central reachable). Refuses, keeping
     * the bundle it holds, one that is unsigned or signed by an untrusted key, malformed, for another tenant, or issued
     * before the one it holds (a replayed old bundle). Returns the bundle now in force.
     */
    public synchronized PolicyBundle install(byte[] envelope) {
        PolicyBundle bundle = PolicyBundles.verify(envelope, trusted);
        if (!tenant.equals(bundle.tenant())) {
            throw new BundleRejectedException("the bundle is for tenant " + bundle.tenant() + ", not " + tenant);
        }
        Installed current = installed;
        if (current != null && bundle.issuedAt().isBefore(current.bundle().issuedAt())) {
            throw new BundleRejectedException("the bundle was issued at " + bundle.issuedAt()
                    + ", before the installed one (" + current.bundle().issuedAt() + ")");
        }
        installed = new Installed(bundle, bundle.engine(), bundle.staleEngine());
        reachable = true;
        return bundle;
    }

    /** A pull failed: decisions are degraded until the next successful {@link #install}. */
    public void centralUnreachable() {
        reachable = false;
    }

    /** The bundle in force, if any. */
    public Optional<PolicyBundle> bundle() {
        Installed i = installed;
        return i == null ? Optional.empty() : Optional.of(i.bundle());
    }

    @Override
    public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
        return decideInDetail(subject, context).decision();
    }

    /** Decides and says how; degraded decisions are handed to the audit before this returns. */
    public Decision decideInDetail(PolicySubject subject, DecisionContext context) {
        Installed i = installed;
        Decision d;
        if (i == null) {
            d = noBundle();
        } else {
            Duration limit = maxAge != null && maxAge.compareTo(i.bundle().maxAge()) < 0
                    ? maxAge
                    : i.bundle().maxAge();
            Duration age = Duration.between(i.bundle().issuedAt(), clock.instant());
            if (age.compareTo(limit) > 0) {
                Evaluation e = i.staleEngine().evaluate(subject, context);
                PolicyDecision decision = e.decision() instanceof PolicyDecision.Allow a
                        ? new PolicyDecision.Allow(a.rule(), DEGRADED + "stale bundle; allow-listed: " + a.reason())
                        : PolicyDecision.deny(
                                "edge-policy/stale",
                                DEGRADED + "the policy bundle is " + age.toSeconds() + " s old (limit "
                                        + limit.toSeconds() + " s); only its allow-list applies");
                d = new Decision(decision, e.matched(), true, true, i.bundle().version());
            } else {
                Evaluation e = i.engine().evaluate(subject, context);
                if (reachable) {
                    d = new Decision(
                            e.decision(), e.matched(), false, false, i.bundle().version());
                } else {
                    d = new Decision(
                            degrade(e.decision()),
                            e.matched(),
                            true,
                            false,
                            i.bundle().version());
                }
            }
        }
        if (d.degraded()) audit.record(subject, context, d);
        return d;
    }

    private static PolicyDecision degrade(PolicyDecision decision) {
        return switch (decision) {
            case PolicyDecision.Allow a -> new PolicyDecision.Allow(a.rule(), DEGRADED + a.reason());
            case PolicyDecision.Deny d -> new PolicyDecision.Deny(DEGRADED + d.reason(), d.rule());
            case PolicyDecision.RequireApproval r ->
                new PolicyDecision.Deny(
                        DEGRADED + "needs an operator's approval, and central is unreachable: " + r.reason(), r.rule());
        };
    }
}
