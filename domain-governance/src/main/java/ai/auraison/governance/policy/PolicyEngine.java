package ai.auraison.governance.policy;

import ai.auraison.contract.Intent;
import ai.auraison.contract.PolicyEffect;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.policy.Conditions.InputCondition;
import ai.auraison.governance.policy.Conditions.TimeWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Evaluates policy sets against a subject. Built once per set of active policies ({@link #of}) and then shared: it
 * is immutable and thread-safe, and allocates little per decision (rules are indexed by subject kind and their
 * conditions compiled).
 *
 * <p><b>Precedence.</b> Every rule of every set whose subjects include the subject's kind and whose conditions all
 * hold <i>matches</i>. Among the matches, {@code deny} beats {@code require_approval}, which beats {@code allow}; among
 * matches of the winning effect, the first one decides (sets in the order given, then document order). When nothing
 * matches, the default applies: the {@code defaultEffect} of the last set that declares one, else the engine's
 * fallback; its rule is {@code <set>/default} (or {@code policy/default}). So a deny anywhere cannot be overridden by an
 * allow elsewhere, and a tenant's set can add restrictions to the baseline but never lift one.
 */
public final class PolicyEngine {

    private final Map<PolicySubjectKind, List<CompiledRule>> byKind = new EnumMap<>(PolicySubjectKind.class);
    private final PolicyEffect defaultEffect;
    private final String defaultRule;
    private final int rules;

    private PolicyEngine(List<PolicySet> sets, PolicyEffect fallback) {
        for (PolicySubjectKind k : PolicySubjectKind.values()) byKind.put(k, new ArrayList<>());
        PolicyEffect effect = fallback;
        String rule = "policy/default";
        int count = 0;
        for (PolicySet set : sets) {
            if (set.defaultEffect() != null) {
                effect = set.defaultEffect();
                rule = set.name() + "/default";
            }
            for (PolicyRule r : set.rules()) {
                CompiledRule compiled = new CompiledRule(set.name(), r);
                for (PolicySubjectKind k : r.subjects()) byKind.get(k).add(compiled);
                count++;
            }
        }
        byKind.replaceAll((k, v) -> List.copyOf(v));
        this.defaultEffect = effect;
        this.defaultRule = rule;
        this.rules = count;
    }

    /** An engine over {@code sets} (in precedence order: earlier sets' matches decide ties), defaulting to {@code fallback}. */
    public static PolicyEngine of(List<PolicySet> sets, PolicyEffect fallback) {
        return new PolicyEngine(List.copyOf(sets), Objects.requireNonNull(fallback));
    }

    /** How many rules the engine holds. */
    public int ruleCount() {
        return rules;
    }

    /** Decides on {@code subject} in {@code context}; never null. Has no side effects. */
    public Evaluation evaluate(PolicySubject subject, DecisionContext context) {
        Facts facts = Facts.of(subject, context);
        List<Evaluation.Match> matched = null;
        Evaluation.Match deciding = null;
        for (CompiledRule r : byKind.get(subject.kind())) {
            if (!r.matches(facts)) continue;
            Evaluation.Match m = new Evaluation.Match(r.set, r.rule.id(), r.rule.effect(), r.rule.reason());
            if (matched == null) matched = new ArrayList<>(4);
            matched.add(m);
            if (deciding == null || rank(m.effect()) > rank(deciding.effect())) deciding = m;
        }
        if (deciding == null) {
            return new Evaluation(
                    decision(defaultEffect, defaultRule, "no rule matched; default " + wire(defaultEffect)),
                    List.of(),
                    true);
        }
        String reason = deciding.reason() != null ? deciding.reason() : "rule " + deciding.qualified() + " matched";
        return new Evaluation(decision(deciding.effect(), deciding.qualified(), reason), matched, false);
    }

    private static String wire(PolicyEffect e) {
        return PolicyDocuments.wire(e);
    }

    private static int rank(PolicyEffect e) {
        return switch (e) {
            case DENY -> 2;
            case REQUIRE_APPROVAL -> 1;
            case ALLOW -> 0;
        };
    }

    private static PolicyDecision decision(PolicyEffect effect, String rule, String reason) {
        return switch (effect) {
            case ALLOW -> new PolicyDecision.Allow(rule, reason);
            case DENY -> new PolicyDecision.Deny(reason, rule);
            case REQUIRE_APPROVAL -> new PolicyDecision.RequireApproval(reason, rule);
        };
    }

    /** What conditions look at, read once per decision. */
    record Facts(
            String tenant,
            String principal,
            String application,
            String agent,
            String intentType,
            String tool,
            String model,
            Object input,
            BigDecimal cost,
            Instant now) {

        static Facts of(PolicySubject subject, DecisionContext ctx) {
            String ctxTenant = ctx.tenant() == null ? null : ctx.tenant().value();
            String agent = ctx.agent() == null ? null : ctx.agent().value();
            return switch (subject) {
                case PolicySubject.IntentSubject s -> {
                    Intent i = s.intent();
                    yield new Facts(
                            i.policyCtx().tenant().value(),
                            i.policyCtx().principal(),
                            ctx.application(),
                            agent,
                            i.type(),
                            null,
                            null,
                            i.params(),
                            null,
                            ctx.now());
                }
                case PolicySubject.ToolCallSubject s ->
                    new Facts(
                            ctxTenant,
                            ctx.principal(),
                            ctx.application(),
                            agent,
                            null,
                            s.call().tool(),
                            null,
                            s.call().input(),
                            null,
                            ctx.now());
                case PolicySubject.ModelCallSubject s ->
                    new Facts(
                            s.tenant() != null ? s.tenant().value() : ctxTenant,
                            ctx.principal(),
                            ctx.application(),
                            agent,
                            null,
                            null,
                            s.model(),
                            null,
                            s.estimatedCostUsd(),
                            ctx.now());
            };
        }
    }

    private static final class CompiledRule {
        final String set;
        final PolicyRule rule;
        final Glob[] tenants;
        final Glob[] principals;
        final Glob[] applications;
        final Glob[] agents;
        final Glob[] intentTypes;
        final Glob[] tools;
        final Glob[] models;
        final List<InputCondition> input;
        final Conditions.CostRange cost;
        final TimeWindow window;

        CompiledRule(String set, PolicyRule rule) {
            this.set = set;
            this.rule = rule;
            Conditions c = rule.when();
            tenants = Glob.all(c.tenants());
            principals = Glob.all(c.principals());
            applications = Glob.all(c.applications());
            agents = Glob.all(c.agents());
            intentTypes = Glob.all(c.intentTypes());
            tools = Glob.all(c.tools());
            models = Glob.all(c.models());
            input = c.input();
            cost = c.estimatedCostUsd();
            window = c.timeWindow();
        }

        boolean matches(Facts f) {
            return any(tools, f.tool())
                    && any(intentTypes, f.intentType())
                    && any(models, f.model())
                    && any(tenants, f.tenant())
                    && any(principals, f.principal())
                    && any(applications, f.application())
                    && any(agents, f.agent())
                    && costHolds(f.cost())
                    && inputHolds(f.input())
                    && windowHolds(f.now());
        }

        private static boolean any(Glob[] globs, String value) {
            if (globs.length == 0) return true;
            if (value == null) return false;
            for (Glob g : globs) if (g.matches(value)) return true;
            return false;
        }

        private boolean costHolds(BigDecimal value) {
            if (cost == null) return true;
            if (value == null) return false;
            return (cost.above() == null || value.compareTo(cost.above()) > 0)
                    && (cost.atMost() == null || value.compareTo(cost.atMost()) <= 0);
        }

        private boolean inputHolds(Object document) {
            for (InputCondition c : input) {
                if (!InputMatching.holds(c, document)) return false;
            }
            return true;
        }

        private boolean windowHolds(Instant now) {
            if (window == null) return true;
            ZonedDateTime at = now.atZone(window.zone());
            if (!window.days().contains(at.getDayOfWeek())) return false;
            if (window.from() == null) return true;
            LocalTime t = at.toLocalTime();
            return window.from().isBefore(window.to()) || window.from().equals(window.to())
                    ? !t.isBefore(window.from()) && t.isBefore(window.to())
                    : !t.isBefore(window.from()) || t.isBefore(window.to());
        }
    }

    /** A value with {@code *} wildcards. */
    record Glob(String exact, String prefix, Pattern pattern) {

        static Glob[] all(List<String> values) {
            return values.stream().map(Glob::of).toArray(Glob[]::new);
        }

        static Glob of(String value) {
            int star = value.indexOf('*');
            if (star < 0) return new Glob(value, null, null);
            if (star == value.length() - 1) return new Glob(null, value.substring(0, star), null);
            StringBuilder regex = new StringBuilder();
            for (String part : value.split("\\*", -1)) {
                if (!regex.isEmpty()) regex.append(".*");
                regex.append(Pattern.quote(part));
            }
            return new Glob(null, null, Pattern.compile(regex.toString()));
        }

        boolean matches(String value) {
            if (exact != null) return exact.equals(value);
            if (prefix != null) return value.startsWith(prefix);
            return pattern.matcher(value).matches();
        }
    }
}
