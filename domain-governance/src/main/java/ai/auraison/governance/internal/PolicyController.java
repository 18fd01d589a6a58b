package ai.auraison.governance.internal;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.ContractType;
import ai.auraison.contract.Intent;
import ai.auraison.contract.RunId;
import ai.auraison.contract.TenantId;
import ai.auraison.contract.ToolCall;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.governance.GovernanceProperties;
import ai.auraison.governance.policy.Evaluation;
import ai.auraison.governance.policy.PolicyDocuments;
import ai.auraison.governance.policy.PolicyEngine;
import ai.auraison.governance.policy.PolicySet;
import ai.auraison.platform.Caller;
import ai.auraison.platform.ContractBodies;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Policy sets (versioned, validated, activated per tenant), explanations and decisions, and the signed bundles edges
 * decide with.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "policies", description = "Declarative policy sets, explanations, decisions and signed edge policy bundles")
class PolicyController {

    record SetVersion(String name, int version, int rules, String createdBy, Instant createdAt) {}

    record SetsView(List<String> baseline, PolicyStore.Active active, List<PolicyStore.Summary> sets) {}

    record VersionView(
            String name,
            int version,
            boolean active,
            Map<String, Object> document,
            String source,
            String createdBy,
            Instant createdAt) {}

    record BundleKey(String keyId, String algorithm, String publicKey) {}

    private final PolicyStore policies;
    private final GovernanceHook hook;
    private final BundleSigning signing;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final GovernanceProperties properties;
    private final PolicySet staleAllowList;
    private final Clock clock = Clock.systemUTC();

    PolicyController(
            PolicyStore policies,
            GovernanceHook hook,
            BundleSigning signing,
            AuditLog audit,
            PlatformTransactionManager txm,
            GovernanceProperties properties,
            PolicySet staleAllowList) {
        this.policies = policies;
        this.hook = hook;
        this.signing = signing;
        this.audit = audit;
        this.tx = new TransactionTemplate(txm);
        this.properties = properties;
        this.staleAllowList = staleAllowList;
    }

    @PostMapping(
            path = "/policy-sets",
            consumes = {
                "application/yaml",
                "application/x-yaml",
                "text/yaml",
                MediaType.APPLICATION_JSON_VALUE,
                MediaType.TEXT_PLAIN_VALUE
            })
    @Operation(
            summary = "Store a new version of a policy set",
            description =
                    "The body is the set in YAML or JSON. 201 with its version; 422 invalid-policy naming the rule "
                            + "and the field when it is malformed (then nothing is stored). Storing does not activate it.")
    ResponseEntity<SetVersion> submit(@RequestBody String text) {
        Caller c = Pages.caller();
        PolicyStore.Version v = tx.execute(status -> {
            var stored = policies.submit(c.tenant().value(), text, Pages.actor(c));
            audit.appendNow(new AuditLog.Entry(
                    c.tenant().value(),
                    clock.instant(),
                    Pages.actor(c),
                    AuditLog.ADMIN,
                    "policy-set.store",
                    stored.name() + "@" + stored.version(),
                    "ok",
                    ContractJson.write(Map.of("rules", stored.set().rules().size()))));
            return stored;
        });
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new SetVersion(v.name(), v.version(), v.set().rules().size(), v.createdBy(), v.createdAt()));
    }

    @GetMapping("/policy-sets")
    @Operation(
            summary = "List the caller's tenant's policy sets",
            description = "With the baseline sets and the active one")
    SetsView list() {
        String tenant = Pages.caller().tenant().value();
        return new SetsView(
                policies.baseline().stream().map(PolicySet::name).toList(),
                policies.active(tenant).orElse(null),
                policies.list(tenant));
    }

    @GetMapping("/policy-sets/{name}/versions/{version}")
    @Operation(summary = "Get one version of a policy set", description = "As stored (normalised) and as submitted")
    VersionView version(@PathVariable String name, @PathVariable String version) {
        String tenant = Pages.caller().tenant().value();
        var v = policies.get(tenant, name, number(version));
        boolean active = policies.active(tenant)
                .filter(a -> a.name().equals(name) && a.version() == v.version())
                .isPresent();
        return new VersionView(
                v.name(),
                v.version(),
                active,
                PolicyDocuments.toMap(v.set()),
                v.source(),
                v.createdBy(),
                v.createdAt());
    }

    @PostMapping("/policy-sets/{name}/versions/{version}:activate")
    @Operation(
            summary = "Activate a stored version as the tenant's policy set",
            description = "Replaces the active set at once on this replica (within policy-refresh on others); only "
                    + "stored, valid versions can be activated")
    PolicyStore.Active activate(@PathVariable String name, @PathVariable String version) {
        Caller c = Pages.caller();
        int n = number(version);
        return tx.execute(status -> {
            var active = policies.activate(c.tenant().value(), name, n, Pages.actor(c));
            audit.appendNow(new AuditLog.Entry(
                    c.tenant().value(),
                    clock.instant(),
                    Pages.actor(c),
                    AuditLog.ADMIN,
                    "policy-set.activate",
                    name + "@" + n,
                    "ok",
                    ContractJson.write(Map.of("generation", active.generation()))));
            return active;
        });
    }

    @PostMapping(path = "/policy:explain", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Explain the decision on a subject",
            description =
                    "Body {subject: {kind: intent, intent} | {kind: tool_call, toolCall, skill} | {kind: model_call, "
                            + "model, runId?, estimatedTokensIn, estimatedTokensOut, estimatedCostUsd}, context?: {principal, "
                            + "application, agent, at}, policySet?: {name, version}}. Returns the policies' decision and every rule "
                            + "that matched, without side effects (no budget is reserved, no approval requested); with policySet, "
                            + "a stored version is explained in place of the active set.")
    Map<String, Object> explain(@RequestBody JsonNode body) {
        Caller c = Pages.caller();
        PolicySubject subject = subject(body.path("subject"), c);
        DecisionContext ctx = context(body.path("context"), c, subject);
        PolicyEngine engine;
        JsonNode candidate = body.path("policySet");
        if (candidate.isObject()) {
            engine = policies.engineWith(
                    c.tenant().value(),
                    candidate.path("name").asString(""),
                    candidate.path("version").asInt(0));
        } else {
            engine = policies.engine(c.tenant().value());
        }
        Evaluation e = engine.evaluate(subject, ctx);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effect", effect(e.decision()));
        out.put("rule", e.decision().rule());
        out.put("reason", e.decision().reason());
        out.put("defaulted", e.defaulted());
        out.put(
                "matched",
                e.matched().stream()
                        .map(m -> {
                            Map<String, Object> r = new LinkedHashMap<>();
                            r.put("set", m.set());
                            r.put("rule", m.rule());
                            r.put("effect", m.effect().name().toLowerCase(Locale.ROOT));
                            if (m.reason() != null) r.put("reason", m.reason());
                            return r;
                        })
                        .toList());
        out.put("evaluatedRules", engine.ruleCount());
        out.put("baseline", policies.baseline().stream().map(PolicySet::name).toList());
        policies.active(c.tenant().value()).ifPresent(a -> out.put("active", a));
        return out;
    }

    @PostMapping(path = "/policy:decide", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Decide on a tool or model call (edges)",
            description =
                    "The body of policy:explain (tool_call or model_call subjects). Decides as admission would, with side effects: a model call reserves "
                            + "its estimate, a subject that needs approval is queued (approvalId in the answer; decide again, or "
                            + "GET the approval, to learn the operator's answer). Audited.")
    Map<String, Object> decide(@RequestBody JsonNode body) {
        Caller c = Pages.caller();
        PolicySubject subject = subject(body.path("subject"), c);
        if (subject instanceof PolicySubject.IntentSubject) {
            throw ProblemException.badParameter(
                    "subject.kind",
                    "intents are decided by admission (POST /api/v1/intents); decide tool and model calls here");
        }
        GovernanceHook.Outcome o = hook.decideInDetail(subject, context(body.path("context"), c, subject));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("effect", effect(o.decision()));
        out.put("rule", o.decision().rule());
        out.put("reason", o.decision().reason());
        if (o.approvalId() != null) out.put("approvalId", o.approvalId());
        return out;
    }

    @GetMapping(path = "/policy/bundle", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "The signed policy bundle of the caller's tenant (edges)",
            description =
                    "{keyId, payload (base64 of the signed JSON), signature (Ed25519)}: the baseline and the tenant's "
                            + "active set, issued now, with the max age and the stale allow-list. Verify with policy/bundle-key.")
    ResponseEntity<byte[]> bundle() {
        String tenant = Pages.caller().tenant().value();
        byte[] signed = signing.sign(
                tenant,
                policies.setsFor(tenant),
                staleAllowList,
                properties.bundle().maxAge(),
                policies.fallback());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(signed);
    }

    @GetMapping("/policy/bundle-key")
    @Operation(
            summary = "The public key that verifies policy bundles",
            description = "Base64 X.509 Ed25519 key and its id")
    BundleKey bundleKey() {
        return new BundleKey(signing.keyId(), "Ed25519", signing.publicKeyBase64());
    }

    private static int number(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter("version", "a version is a number: " + version);
        }
    }

    static String effect(PolicyDecision d) {
        return d.effect().name().toLowerCase(Locale.ROOT);
    }

    /** The subject of an explain or decide body; an intent must be of the caller's tenant. */
    static PolicySubject subject(JsonNode s, Caller c) {
        String kind = s.path("kind").asString("");
        return switch (kind) {
            case "intent" -> {
                Intent intent = ContractBodies.read(ContractType.INTENT, s.path("intent"), Intent.class);
                if (!c.tenant().equals(intent.policyCtx().tenant())) {
                    throw new ProblemException(
                                    HttpStatus.FORBIDDEN,
                                    "tenant-mismatch",
                                    "Forbidden",
                                    "policyCtx.tenant must be the caller's tenant " + c.tenant())
                            .with("field", "subject.intent.policyCtx.tenant");
                }
                yield new PolicySubject.IntentSubject(intent);
            }
            case "tool_call" ->
                new PolicySubject.ToolCallSubject(
                        ContractBodies.read(ContractType.TOOL_CALL, s.path("toolCall"), ToolCall.class),
                        s.path("skill").isString()
                                ? printable("subject.skill", s.path("skill").asString())
                                : null);
            case "model_call" -> {
                String model = printable("subject.model", s.path("model").asString(""));
                if (model.isBlank())
                    throw ProblemException.badParameter("subject.model", "a model call names its model");
                long in = s.path("estimatedTokensIn").asLong(0);
                long out = s.path("estimatedTokensOut").asLong(0);
                BigDecimal cost = s.path("estimatedCostUsd").isNumber()
                        ? s.path("estimatedCostUsd").decimalValue()
                        : BigDecimal.ZERO;
                if (in < 0 || out < 0 || cost.signum() < 0) {
                    throw ProblemException.badParameter("subject", "estimates must not be negative");
                }
                RunId run = null;
                if (s.path("runId").isString()) {
                    try {
                        run = RunId.of(s.path("runId").asString());
                    } catch (IllegalArgumentException e) {
                        throw ProblemException.badParameter(
                                "subject.runId",
                                "not a run id: " + s.path("runId").asString());
                    }
                }
                yield new PolicySubject.ModelCallSubject(c.tenant(), run, model, in, out, cost);
            }
            default ->
                throw ProblemException.badParameter(
                        "subject.kind", "subject.kind is intent, tool_call or model_call, was '" + kind + "'");
        };
    }

    /**
     * {@code value} of the body's field {@code field}, which is stored and audited: a 400 naming the field when it holds
     * a control character (PostgreSQL refuses NUL in text; the others have no place in a name either).
     */
    static String printable(String field, String value) {
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badParameter(field, field + " must not contain control characters");
        }
        return value;
    }

    static DecisionContext context(JsonNode ctx, Caller c, PolicySubject subject) {
        String principal = ctx.path("principal").isString()
                ? printable("context.principal", ctx.path("principal").asString())
                : c.principal();
        if (subject instanceof PolicySubject.IntentSubject i)
            principal = i.intent().policyCtx().principal();
        AgentId agent = null;
        if (ctx.path("agent").isString()) {
            try {
                agent = AgentId.of(ctx.path("agent").asString());
            } catch (IllegalArgumentException e) {
                throw ProblemException.badParameter("context.agent", e.getMessage());
            }
        }
        Instant at = null;
        if (ctx.path("at").isString()) {
            try {
                at = Instant.parse(ctx.path("at").asString());
            } catch (java.time.format.DateTimeParseException e) {
                throw ProblemException.badParameter(
                        "context.at",
                        "not an ISO-8601 instant: " + ctx.path("at").asString());
            }
        }
        RunId run =
                subject instanceof PolicySubject.ToolCallSubject t ? t.call().runId() : null;
        if (subject instanceof PolicySubject.ModelCallSubject m) run = m.runId();
        return new DecisionContext(
                TenantId.of(c.tenant().value()),
                principal,
                ctx.path("application").isString()
                        ? printable(
                                "context.application", ctx.path("application").asString())
                        : null,
                agent,
                run,
                at,
                false,
                Map.of("caller", c.principal()));
    }
}
