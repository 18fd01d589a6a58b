package ai.auraison.governance.internal;

import ai.auraison.contract.PolicyEffect;
import ai.auraison.governance.policy.InvalidPolicyException;
import ai.auraison.governance.policy.PolicyDocuments;
import ai.auraison.governance.policy.PolicyEngine;
import ai.auraison.governance.policy.PolicySet;
import ai.auraison.platform.ProblemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Versioned policy sets per tenant, the one active set of each tenant, and the compiled engines that decide with
 * them: the baseline sets (built in, plus the operator's folder) first, then the tenant's active set.
 *
 * <p>A set is validated when it is submitted and stored only if valid; activation names a stored version, so the
 * active set is never an invalid one. Engines are cached per tenant and rebuilt when the tenant's activation
 * generation changes (on this replica at once, on others within {@code policy-refresh}). Thread-safe.
 */
final class PolicyStore {

    record Version(
            String tenant,
            String name,
            int version,
            PolicySet set,
            String createdBy,
            Instant createdAt,
            String source) {}

    record Active(String name, int version, long generation) {}

    record Summary(String name, List<Integer> versions, Integer activeVersion) {}

    private record Cached(long generation, PolicyEngine engine) {}

    private final JdbcClient jdbc;
    private final List<PolicySet> baseline;
    private final PolicyEffect fallback;
    private final Map<String, Cached> engines = new ConcurrentHashMap<>();

    PolicyStore(JdbcClient jdbc, List<PolicySet> baseline, PolicyEffect fallback) {
        this.jdbc = jdbc;
        this.baseline = List.copyOf(baseline);
        this.fallback = fallback;
    }

    List<PolicySet> baseline() {
        return baseline;
    }

    PolicyEffect fallback() {
        return fallback;
    }

    /** Validates and stores a new version of a set; 422 {@code invalid-policy} naming the rule and field otherwise. */
    Version submit(String tenant, String text, String by) {
        PolicySet set = parse(text);
        for (int attempt = 0; ; attempt++) {
            int version = jdbc.sql(
                            "SELECT COALESCE(max(version), 0) + 1 FROM governance.policy_sets WHERE tenant = ? AND name = ?")
                    .params(tenant, set.name())
                    .query(Integer.class)
                    .single();
            int inserted = jdbc.sql(
                            "INSERT INTO governance.policy_sets (tenant, name, version, document, source, created_by) "
                                    + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(tenant, set.name(), version, PolicyDocuments.toJson(set), text, by)
                    .update();
            if (inserted == 1) return get(tenant, set.name(), version);
            if (attempt >= 5) {
                throw ProblemException.conflict("policy-set-busy", "concurrent submissions of " + set.name());
            }
        }
    }

    static PolicySet parse(String text) {
        try {
            return PolicyDocuments.parse(text);
        } catch (InvalidPolicyException e) {
            throw invalid(e);
        }
    }

    static ProblemException invalid(InvalidPolicyException e) {
        ProblemException p = new ProblemException(
                        HttpStatus.UNPROCESSABLE_CONTENT, "invalid-policy", "Invalid policy", e.getMessage())
                .with("field", e.field());
        if (e.rule() != null) p.with("rule", e.rule());
        return p;
    }

    Version get(String tenant, String name, int version) {
        return jdbc.sql(
                        "SELECT tenant, name, version, document, created_by, created_at, source FROM governance.policy_sets "
                                + "WHERE tenant = ? AND name = ? AND version = ?")
                .params(tenant, name, version)
                .query((rs, i) -> new Version(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getInt(3),
                        PolicyDocuments.parse(rs.getString(4)),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant(),
                        rs.getString(7)))
                .optional()
                .orElseThrow(() -> ProblemException.notFound("policy-set", name + " version " + version));
    }

    List<Summary> list(String tenant) {
        Optional<Active> active = active(tenant);
        Map<String, List<Integer>> versions = new java.util.TreeMap<>();
        jdbc.sql("SELECT name, version FROM governance.policy_sets WHERE tenant = ? ORDER BY name, version")
                .param(tenant)
                .query((rs, i) -> versions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getInt(2)))
                .list();
        List<Summary> out = new ArrayList<>();
        versions.forEach((name, vs) -> out.add(new Summary(
                name,
                vs,
                active.filter(a -> a.name().equals(name)).map(Active::version).orElse(null))));
        return out;
    }

    /** Makes a stored version the tenant's active set. */
    Active activate(String tenant, String name, int version, String by) {
        get(tenant, name, version);
        long generation = jdbc.sql("SELECT nextval('governance.policy_generation')")
                .query(Long.class)
                .single();
        jdbc.sql("INSERT INTO governance.policy_activations (tenant, name, version, generation, activated_by) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET name = EXCLUDED.name, "
                        + "version = EXCLUDED.version, generation = EXCLUDED.generation, activated_by = EXCLUDED.activated_by, "
                        + "activated_at = now()")
                .params(tenant, name, version, generation, by)
                .update();
        engines.remove(tenant);
        return new Active(name, version, generation);
    }

    Optional<Active> active(String tenant) {
        return jdbc.sql(
                        "SELECT name, version, generation FROM governance.policy_activations WHERE tenant = ? AND name IS NOT NULL")
                .param(tenant)
                .query((rs, i) -> new Active(rs.getString(1), rs.getInt(2), rs.getLong(3)))
                .optional();
    }

    /** The engine deciding for {@code tenant}: the baseline, then its active set. */
    PolicyEngine engine(String tenant) {
        return engines.computeIfAbsent(tenant, this::load).engine();
    }

    /** The sets a bundle for {@code tenant} carries: the baseline, then its active set. */
    List<PolicySet> setsFor(String tenant) {
        List<PolicySet> sets = new ArrayList<>(baseline);
        active(tenant)
                .ifPresent(a -> sets.add(get(tenant, a.name(), a.version()).set()));
        return sets;
    }

    /** An engine with a candidate version in place of the active set (for explaining before activating). */
    PolicyEngine engineWith(String tenant, String name, int version) {
        List<PolicySet> sets = new ArrayList<>(baseline);
        sets.add(get(tenant, name, version).set());
        return PolicyEngine.of(sets, fallback);
    }

    private Cached load(String tenant) {
        Optional<Active> active = active(tenant);
        List<PolicySet> sets = new ArrayList<>(baseline);
        active.ifPresent(a -> sets.add(get(tenant, a.name(), a.version()).set()));
        return new Cached(active.map(Active::generation).orElse(0L), PolicyEngine.of(sets, fallback));
    }

    /** Drops cached engines whose tenant's activation changed on another replica. */
    void refresh() {
        if (engines.isEmpty()) return;
        Map<String, Long> generations = new java.util.HashMap<>();
        jdbc.sql("SELECT tenant, generation FROM governance.policy_activations")
                .query((rs, i) -> generations.put(rs.getString(1), rs.getLong(2)))
                .list();
        engines.entrySet().removeIf(e -> e.getValue().generation() != generations.getOrDefault(e.getKey(), 0L));
    }
}
