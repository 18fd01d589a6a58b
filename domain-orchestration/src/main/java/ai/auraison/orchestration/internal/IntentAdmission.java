package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.IntentId;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.RunId;
import ai.auraison.contract.RunState;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.Target;
import ai.auraison.contract.spi.AdmissionQuotas;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.platform.ProblemException;
import ai.auraison.platform.Problems;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Intent admission: place the intent on an agent, run the {@link PolicyHook} chain (recording every decision as a
 * {@code PolicyDecided} event), check backpressure, and record the intent, its run, its events and its work item in
 * one transaction.
 *
 * <p>Idempotency: the intent id is the key. The answer given is stored with a hash of the canonical intent; the
 * same intent again gets that answer, another intent under the same id a 409. A 429 is not stored: the client is
 * meant to retry the same intent.
 *
 * <p>Quotas: the caller's tenant's and principal's queued and running counts go to the hooks as
 * {@link AdmissionQuotas} attributes; a hook's denial by a {@code quota.} rule is answered 429 (with
 * {@code Retry-After} and {@code RateLimit} headers) and, like backpressure's, not stored.
 */
final class IntentAdmission {

    /** What to answer over HTTP. */
    record Answer(int status, JsonNode body, Map<String, String> headers) {}

    private static final String V = SchemaVersions.CURRENT;

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final AgentRegistry agents;
    private final SkillCatalog catalog;
    private final RunLog runs;
    private final WorkQueue queue;
    private final Backpressure backpressure;
    private final Supplier<List<PolicyHook>> hooks;
    private final OrchestrationMetrics metrics;
    private final Clock clock;
    private final int maxAttempts;

    IntentAdmission(
            JdbcClient jdbc,
            TransactionTemplate tx,
            AgentRegistry agents,
            SkillCatalog catalog,
            RunLog runs,
            WorkQueue queue,
            Backpressure backpressure,
            Supplier<List<PolicyHook>> hooks,
            OrchestrationMetrics metrics,
            Clock clock,
            int maxAttempts) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.agents = agents;
        this.catalog = catalog;
        this.runs = runs;
        this.queue = queue;
        this.backpressure = backpressure;
        this.hooks = hooks;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    Answer admit(Intent intent) {
        long started = System.nanoTime();
        byte[] hash = ContractJson.canonicalSha256(intent);
        Placement placement = place(intent);
        RunId runId = RunId.random();
        Map<String, String> attributes = new HashMap<>();
        if (placement.failure() != null) {
            attributes.put(AdmissionHooks.PLACEMENT_FAILURE, placement.failure());
            attributes.put(AdmissionHooks.PLACEMENT_REASON, placement.reason());
        }
        String tenant = intent.policyCtx().tenant().value();
        String principal = intent.policyCtx().principal();
        // counted as queued from before the quota and bound checks, so that admissions running at the same time on
        // this replica see each other (check-then-act would let all of them pass at the quota), and from before its
        // insert, so that no refresh counts it twice (Backpressure); withdrawn on every path that does not queue it
        Backpressure.Admission counted = placement.agent() == null
                ? null
                : backpressure.admitting(runId.value(), placement.agent(), tenant, principal);
        boolean queued = false;
        Answer answer;
        String outcome;
        try {
            Backpressure.Usage usage = backpressure.usage(tenant, principal, counted);
            attributes.put(AdmissionQuotas.TENANT_QUEUED, Long.toString(usage.tenantQueued()));
            attributes.put(AdmissionQuotas.TENANT_RUNNING, Long.toString(usage.tenantRunning()));
            attributes.put(AdmissionQuotas.PRINCIPAL_QUEUED, Long.toString(usage.principalQueued()));
            attributes.put(AdmissionQuotas.PRINCIPAL_RUNNING, Long.toString(usage.principalRunning()));
            DecisionContext context = new DecisionContext(
                    intent.policyCtx().tenant(),
                    intent.policyCtx().principal(),
                    placement.application(),
                    placement.agent() == null ? null : AgentId.of(placement.agent()),
                    runId,
                    clock.instant(),
                    false,
                    attributes);
            List<PolicyDecision> decisions =
                    PolicyHook.chain(hooks.get(), new PolicySubject.IntentSubject(intent), context);
            PolicyDecision last = decisions.getLast();

            if (last instanceof PolicyDecision.Allow) {
                Optional<Backpressure.Refusal> refusal = backpressure.check(placement.agent(), tenant, counted);
                if (refusal.isPresent()) {
                    answer = replay(intent.intentId(), hash).orElseGet(() -> tooMany(refusal.get()));
                    outcome = answer.status() == 429 ? "throttled" : "replayed";
                } else {
                    answer = accepted(intent, runId, placement.agent(), "queued");
                    queued = record(intent, hash, runId, placement.agent(), decisions, answer, true);
                    if (queued) {
                        outcome = "queued";
                    } else {
                        answer = replayOrConflict(intent.intentId(), hash);
                        outcome = "replayed";
                    }
                }
            } else if (AdmissionQuotas.isOverQuota(last)) {
                // like backpressure's 429, not stored: the same intent is admitted once the count has fallen
                PolicyDecision.Deny deny = (PolicyDecision.Deny) last;
                answer = replay(intent.intentId(), hash).orElseGet(() -> overQuota(intent, placement.agent(), deny));
                outcome = answer.status() == 429 ? "throttled" : "replayed";
            } else if (last instanceof PolicyDecision.RequireApproval) {
                answer = accepted(intent, runId, placement.agent(), "awaiting_approval");
                outcome = record(intent, hash, runId, placement.agent(), decisions, answer, false)
                        ? "awaiting_approval"
                        : "replayed";
                if (outcome.equals("replayed")) answer = replayOrConflict(intent.intentId(), hash);
            } else {
                answer = refused(intent, runId, last);
                outcome = record(intent, hash, runId, placement.agent(), decisions, answer, false)
                        ? "rejected"
                        : "replayed";
                if (outcome.equals("replayed")) answer = replayOrConflict(intent.intentId(), hash);
            }
        } finally {
            if (!queued && counted != null) backpressure.withdraw(counted);
        }
        metrics.admitted(outcome, java.time.Duration.ofNanos(System.nanoTime() - started));
        return answer;
    }

    /**
     * Cancels the run of an intent; 409 when it already finished, 404 when it does not exist or belongs to a tenant
     * outside {@code scope}.
     */
    RunState cancel(IntentId intentId, String by, String reason, Optional<String> scope) {
        RunId runId = jdbc.sql(
                        "SELECT run_id FROM orchestration.intents WHERE intent_id = ? AND (?::text IS NULL OR tenant = ?)")
                .params(intentId.value(), scope.orElse(null), scope.orElse(null))
                .query((rs, i) -> new RunId(rs.getObject(1, java.util.UUID.class)))
                .optional()
                .orElseThrow(() -> ProblemException.notFound("intent", intentId));
        return tx.execute(status -> {
            RunLog.Run run = runs.lock(runId).orElseThrow();
            if (run.state().status().isTerminal()) {
                throw ProblemException.conflict(
                                "run-finished",
                                "the run " + runId + " of intent " + intentId + " is already "
                                        + run.state().status().wireName())
                        .with("status", run.state().status().wireName());
            }
            return runs.appendNew(
                    run,
                    List.of(seq -> new AgentEvent.RunCancelled(
                            EventId.random(), runId, seq, clock.instant(), null, V, by, reason)));
        });
    }

    private record Placement(String agent, String application, String failure, String reason) {}

    private Placement place(Intent intent) {
        Placement first = null;
        String tenant = intent.policyCtx().tenant().value();
        for (Target t : intent.targets()) {
            Placement p = t.agent() != null
                    ? placeOnAgent(t.agent().value(), tenant)
                    : placeOnApplication(t, intent.type(), tenant);
            if (p.agent() != null) return p;
            if (first == null) first = p;
        }
        return first;
    }

    private Placement placeOnAgent(String agentId, String tenant) {
        // another tenant's agent is, to this intent, an agent that does not exist
        Optional<AgentRegistry.Agent> agent = agents.find(agentId).filter(a -> AgentRegistry.serves(a, tenant));
        if (agent.isEmpty()) return new Placement(null, null, "unknown-target", "no agent " + agentId);
        AgentRegistry.Health health = agents.health(agent.get());
        if (health != AgentRegistry.Health.HEALTHY) {
            return new Placement(
                    null,
                    agent.get().application(),
                    "target-unavailable",
                    "agent " + agentId + " is " + health.wire() + " and takes no new work");
        }
        return new Placement(agentId, agent.get().application(), null, null);
    }

    private Placement placeOnApplication(Target target, String type, String tenant) {
        String app = target.application();
        if (catalog.application(app).isEmpty())
            return new Placement(null, null, "unknown-target", "no application " + app);
        List<AgentRegistry.Agent> candidates = agents.ofApplication(app, target.edgeNode()).stream()
                .filter(a -> AgentRegistry.serves(a, tenant))
                .toList();
        String where = target.edgeNode() == null ? "" : " on edge node " + target.edgeNode();
        if (candidates.isEmpty())
            return new Placement(null, app, "target-unavailable", "no agent of " + app + where + " is registered");
        AgentRegistry.Agent best = null;
        long bestDepth = Long.MAX_VALUE;
        boolean anyHealthy = false;
        for (AgentRegistry.Agent a : candidates) {
            if (agents.health(a) != AgentRegistry.Health.HEALTHY) continue;
            anyHealthy = true;
            if (!catalog.offers(a.skills(), type)) continue;
            long depth = backpressure.depth(a.agentId());
            if (depth < bestDepth) {
                best = a;
                bestDepth = depth;
            }
        }
        if (best != null) return new Placement(best.agentId(), app, null, null);
        return anyHealthy
                ? new Placement(
                        null, app, "intent-type-not-offered", "no healthy agent of " + app + where + " offers " + type)
                : new Placement(null, app, "target-unavailable", "no agent of " + app + where + " is healthy");
    }

    /**
     * Records the intent, its run (already folded over its first events), the events and, when admitted, its work item,
     * in one SQL statement (one round trip, one commit). Returns false when the intent id already existed, and then
     * writes nothing.
     */
    private boolean record(
            Intent intent,
            byte[] hash,
            RunId runId,
            String agentId,
            List<PolicyDecision> decisions,
            Answer answer,
            boolean enqueue) {
        Instant now = clock.instant();
        RunState state = RunState.pending(runId, intent.intentId(), agentId == null ? null : AgentId.of(agentId), now);
        List<AgentEvent> events = new ArrayList<>();
        for (PolicyDecision d : decisions) {
            events.add(new AgentEvent.PolicyDecided(
                    EventId.random(),
                    runId,
                    events.size() + 1,
                    now,
                    null,
                    V,
                    PolicySubjectKind.INTENT,
                    intent.intentId().value(),
                    d.effect(),
                    d.rule(),
                    d.reason().isEmpty() ? null : d.reason(),
                    false));
        }
        if (enqueue) {
            events.add(new AgentEvent.RunQueued(
                    EventId.random(),
                    runId,
                    events.size() + 1,
                    now,
                    null,
                    V,
                    intent.intentId(),
                    AgentId.of(agentId),
                    intent.policyCtx().tenant(),
                    intent.effectivePriority(),
                    intent.deadline()));
        } else if (decisions.getLast() instanceof PolicyDecision.Deny deny) {
            events.add(new AgentEvent.RunRejected(
                    EventId.random(),
                    runId,
                    events.size() + 1,
                    now,
                    null,
                    V,
                    intent.intentId(),
                    new Failure(failureCode(deny.rule()), deny.reason())));
        }
        for (AgentEvent e : events) state = state.apply(e);
        String tenant = intent.policyCtx().tenant().value();
        Timestamp at = Timestamp.from(now);
        Integer inserted = jdbc.sql("""
                WITH i AS (
                    INSERT INTO orchestration.intents (intent_id, tenant, principal, type, body, body_sha256, run_id, agent_id,
                                                       http_status, answer)
                    VALUES (:intent, :tenant, :principal, :type, :body::jsonb, :hash, :run, :agent, :status, :answer::jsonb)
                    ON CONFLICT (intent_id) DO NOTHING
                    RETURNING run_id
                ), r AS (
                    INSERT INTO orchestration.runs (run_id, intent_id, tenant, agent_id, origin, status, last_seq, state,
                                                    created_at, updated_at)
                    SELECT run_id, :intent, :tenant, :agent, 'central', :runStatus, :lastSeq, :state::jsonb, :at, :at FROM i
                    RETURNING run_id
                ), e AS (
                    INSERT INTO orchestration.run_events (event_id, run_id, seq, kind, ts, body)
                    SELECT (x ->> 'eventId')::uuid, r.run_id, (x ->> 'seq')::bigint, x ->> 'kind', :at, x
                      FROM r, jsonb_array_elements(:events::jsonb) AS x
                ), w AS (
                    INSERT INTO orchestration.work_items (run_id, agent_id, tenant, principal, priority, deadline, status,
                                                          max_attempts)
                    SELECT run_id, :agent, :tenant, :principal, :priority, :deadline, 'ready', :maxAttempts FROM r
                     WHERE :enqueue
                )
                SELECT count(*)::int FROM i
                """)
                .param("intent", intent.intentId().value())
                .param("tenant", tenant)
                .param("principal", intent.policyCtx().principal())
                .param("type", intent.type())
                .param("body", ContractJson.write(intent))
                .param("hash", hash)
                .param("run", runId.value())
                .param("agent", agentId)
                .param("status", answer.status())
                .param("answer", ContractJson.write(answer.body()))
                .param("runStatus", state.status().wireName())
                .param("lastSeq", state.lastSeq())
                .param("state", ContractJson.write(state))
                .param("at", at)
                // one by one: a List<AgentEvent> written as a whole would lose each event's kind to type erasure
                .param(
                        "events",
                        "["
                                + String.join(
                                        ",",
                                        events.stream().map(ContractJson::write).toList()) + "]")
                .param("priority", intent.effectivePriority())
                .param("deadline", intent.deadline() == null ? null : Timestamp.from(intent.deadline()))
                .param("maxAttempts", maxAttempts)
                .param("enqueue", enqueue)
                .query(Integer.class)
                .single();
        if (inserted == 0) return false;
        if (enqueue) queue.announce(agentId);
        return true;
    }

    private Optional<Answer> replay(IntentId intentId, byte[] hash) {
        record Stored(byte[] hash, int status, String answer) {}
        return jdbc.sql("SELECT body_sha256, http_status, answer FROM orchestration.intents WHERE intent_id = ?")
                .param(intentId.value())
                .query((rs, i) -> new Stored(rs.getBytes(1), rs.getInt(2), rs.getString(3)))
                .optional()
                .map(s -> {
                    if (!Arrays.equals(s.hash(), hash)) throw conflict(intentId);
                    return new Answer(
                            s.status(), ContractJson.tree(s.answer()), Map.of("Auraison-Idempotent-Replay", "true"));
                });
    }

    private Answer replayOrConflict(IntentId intentId, byte[] hash) {
        return replay(intentId, hash).orElseThrow(() -> new IllegalStateException("intent " + intentId + " vanished"));
    }

    private static ProblemException conflict(IntentId intentId) {
        return ProblemException.conflict(
                        "intent-id-conflict",
                        "intent " + intentId
                                + " was already submitted with a different body; use a new intentId for a different intent")
                .with("intentId", intentId.value());
    }

    private Answer accepted(Intent intent, RunId runId, String agentId, String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intentId", intent.intentId().value());
        body.put("runId", runId.toString());
        body.put("status", status);
        if (agentId != null) body.put("agentId", agentId);
        body.put(
                "links",
                Map.of(
                        "intent", "/api/v1/intents/" + intent.intentId().value(),
                        "run", "/api/v1/runs/" + runId,
                        "events", "/api/v1/runs/" + runId + "/events:stream"));
        return new Answer(
                202,
                ContractJson.tree(body),
                Map.of("Location", "/api/v1/intents/" + intent.intentId().value()));
    }

    private static Answer refused(Intent intent, RunId runId, PolicyDecision decision) {
        boolean admissionRule = decision.rule().startsWith("admission.");
        HttpStatus status = admissionRule ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.FORBIDDEN;
        String slug = admissionRule ? decision.rule().substring("admission.".length()) : "policy-denied";
        ProblemDetail problem = Problems.of(
                status, slug, admissionRule ? "Intent not admitted" : "Denied by policy", decision.reason());
        problem.setProperty("intentId", intent.intentId().value());
        problem.setProperty("runId", runId.toString());
        problem.setProperty("rule", decision.rule());
        return new Answer(status.value(), ContractJson.tree(Problems.asMap(problem)), Map.of());
    }

    private static Answer tooMany(Backpressure.Refusal r) {
        ProblemDetail problem = Problems.of(
                HttpStatus.TOO_MANY_REQUESTS,
                "queue-full",
                "Queue full",
                "the " + r.scope() + " " + r.key() + " has " + r.depth() + " queued or running items (bound "
                        + r.bound() + "); retry in " + r.retryAfter().toSeconds() + " s");
        problem.setProperty("scope", r.scope());
        problem.setProperty("bound", r.bound());
        return new Answer(
                429,
                ContractJson.tree(Problems.asMap(problem)),
                Map.of("Retry-After", Long.toString(r.retryAfter().toSeconds())));
    }

    /**
     * 429 for a denial by a quota rule: problem type {@code quota-<name>} with {@code limit}, {@code current} and
     * {@code scope}; {@code Retry-After} from the agent's measured drain rate (30 s before one is measured);
     * {@code RateLimit-Policy} / {@code RateLimit} in the style of the request-rate 429 ({@code "<scope>-<name>"},
     * {@code q} the limit, {@code r=0}, {@code t} the retry delay).
     */
    private Answer overQuota(Intent intent, String agentId, PolicyDecision.Deny deny) {
        String name = deny.rule().substring(AdmissionQuotas.RULE_PREFIX.length());
        String scope = deny.details().getOrDefault(AdmissionQuotas.SCOPE, "tenant");
        long limit = Long.parseLong(deny.details().getOrDefault(AdmissionQuotas.LIMIT, "0"));
        long current = Long.parseLong(deny.details().getOrDefault(AdmissionQuotas.CURRENT, "0"));
        long retryAfter = agentId == null
                ? 30
                : backpressure
                        .retryAfter(agentId, Math.max(1, current - limit + 1))
                        .toSeconds();
        ProblemDetail problem = Problems.of(
                HttpStatus.TOO_MANY_REQUESTS,
                "quota-" + name,
                "Quota exceeded",
                deny.reason() + "; retry in " + retryAfter + " s");
        problem.setProperty("intentId", intent.intentId().value());
        problem.setProperty("rule", deny.rule());
        problem.setProperty("scope", scope);
        problem.setProperty("limit", limit);
        problem.setProperty("current", current);
        String policy = "\"" + scope + "-" + name + "\"";
        return new Answer(
                429,
                ContractJson.tree(Problems.asMap(problem)),
                Map.of(
                        "Retry-After",
                        Long.toString(retryAfter),
                        "RateLimit-Policy",
                        policy + ";q=" + limit,
                        "RateLimit",
                        policy + ";r=0;t=" + retryAfter));
    }

    private static String failureCode(String rule) {
        String code = rule.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_.]", "_")
                .replaceAll("\\.+", ".");
        return code.matches("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$") ? code : "policy.denied";
    }
}
