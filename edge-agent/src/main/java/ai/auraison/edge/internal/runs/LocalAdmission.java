package ai.auraison.edge.internal.runs;

import ai.auraison.contract.AgentEvent;
import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.contract.EventId;
import ai.auraison.contract.Failure;
import ai.auraison.contract.Intent;
import ai.auraison.contract.PolicySubjectKind;
import ai.auraison.contract.RunId;
import ai.auraison.contract.SchemaVersions;
import ai.auraison.contract.Target;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.edge.internal.pi.PiRpcAgentHarness;
import ai.auraison.edge.internal.store.EdgeStore;
import ai.auraison.platform.ProblemException;
import ai.auraison.platform.Problems;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.JsonNode;

/**
 * Admission of intents submitted to this edge by local applications: the same contract, validation and idempotency as
 * the central runtime (the intent id is the key; the same intent again gets the same answer, another intent under the
 * same id a 409), decided by the edge's own checks (the target is an agent of this edge, its skills offer the type, the
 * deadline is ahead) and any {@link PolicyHook}s, every decision recorded as a {@code PolicyDecided} event. Works
 * whether or not the central runtime is reachable.
 */
public final class LocalAdmission {

    /** What to answer over HTTP. */
    public record Answer(int status, JsonNode body) {}

    private static final String V = SchemaVersions.CURRENT;

    private final EdgeStore store;
    private final EdgeRuns runs;
    private final PiRpcAgentHarness harness;
    private final Supplier<List<PolicyHook>> hooks;
    private final Clock clock;

    public LocalAdmission(
            EdgeStore store, EdgeRuns runs, PiRpcAgentHarness harness, Supplier<List<PolicyHook>> hooks, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.harness = harness;
        this.hooks = hooks;
        this.clock = clock;
    }

    public Answer admit(Intent intent) {
        byte[] hash = ContractJson.canonicalSha256(intent);
        var earlier = store.intent(intent.intentId().value());
        if (earlier.isPresent()) return replay(earlier.get(), hash);

        RunId runId = RunId.random();
        PiRpcAgentHarness.Agent agent = place(intent);
        List<PolicyHook> chain = new ArrayList<>();
        chain.add(targets(agent, intent));
        chain.add(skills(agent, intent));
        chain.add(deadline(intent));
        chain.addAll(hooks.get());
        DecisionContext context = new DecisionContext(
                intent.policyCtx().tenant(),
                intent.policyCtx().principal(),
                agent == null ? null : agent.application(),
                agent == null ? null : agent.agentId(),
                runId,
                clock.instant(),
                false,
                Map.of());
        List<PolicyDecision> decisions = PolicyHook.chain(chain, new PolicySubject.IntentSubject(intent), context);
        PolicyDecision last = decisions.getLast();
        boolean admitted = last instanceof PolicyDecision.Allow;
        Answer answer = admitted ? accepted(intent, runId, agent.agentId()) : refused(intent, runId, last);
        List<java.util.function.LongFunction<AgentEvent>> first = new ArrayList<>();
        for (PolicyDecision d : decisions) {
            first.add(seq -> new AgentEvent.PolicyDecided(
                    EventId.random(),
                    runId,
                    seq,
                    clock.instant(),
                    null,
                    V,
                    PolicySubjectKind.INTENT,
                    intent.intentId().value(),
                    d.effect(),
                    d.rule(),
                    d.reason().isEmpty() ? null : d.reason(),
                    ai.auraison.governance.policy.EdgePolicyDecider.isDegraded(d)));
        }
        if (!admitted) {
            first.add(seq -> new AgentEvent.RunRejected(
                    EventId.random(),
                    runId,
                    seq,
                    clock.instant(),
                    null,
                    V,
                    intent.intentId(),
                    new Failure("admission.rejected", last.reason())));
        }
        EdgeStore.StoredIntent stored = new EdgeStore.StoredIntent(
                intent.intentId().value(), hash, answer.status(), ContractJson.write(answer.body()), runId.value());
        if (!runs.admit(stored, intent, agent == null ? null : agent.agentId(), first)) {
            return replay(store.intent(intent.intentId().value()).orElseThrow(), hash);
        }
        if (admitted) runs.startLocal(runId, intent, agent.agentId());
        return answer;
    }

    private PiRpcAgentHarness.Agent place(Intent intent) {
        for (Target t : intent.targets()) {
            for (PiRpcAgentHarness.Agent a : harness.agents()) {
                boolean matches = t.agent() != null
                        ? t.agent().equals(a.agentId())
                        : t.application().equals(a.application())
                                && a.skills().stream().anyMatch(s -> s.offers(intent.type()));
                if (matches) return a;
            }
        }
        return null;
    }

    private static PolicyHook targets(PiRpcAgentHarness.Agent agent, Intent intent) {
        return hook(
                "admission.targets",
                () -> agent != null
                        ? PolicyDecision.allow("admission.targets")
                        : PolicyDecision.deny(
                                "admission.unknown-target",
                                "no agent of this edge matches the targets " + ContractJson.write(intent.targets())));
    }

    private static PolicyHook skills(PiRpcAgentHarness.Agent agent, Intent intent) {
        return hook(
                "admission.skills",
                () -> agent == null || agent.skills().stream().anyMatch(s -> s.offers(intent.type()))
                        ? PolicyDecision.allow("admission.skills")
                        : PolicyDecision.deny(
                                "admission.intent-type-not-offered",
                                "intent type " + intent.type() + " is not offered by the skills of agent "
                                        + agent.agentId()));
    }

    private PolicyHook deadline(Intent intent) {
        return hook(
                "admission.deadline",
                () -> intent.deadline() == null || intent.deadline().isAfter(clock.instant())
                        ? PolicyDecision.allow("admission.deadline")
                        : PolicyDecision.deny(
                                "admission.deadline-passed", "the deadline " + intent.deadline() + " has passed"));
    }

    private static PolicyHook hook(String name, Supplier<PolicyDecision> decision) {
        return new PolicyHook() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
                return decision.get();
            }
        };
    }

    private static Answer replay(EdgeStore.StoredIntent stored, byte[] hash) {
        if (!Arrays.equals(stored.hash(), hash)) {
            throw ProblemException.conflict(
                            "intent-id-conflict",
                            "intent " + stored.intentId()
                                    + " was already submitted with a different body; use a new intentId for a different intent")
                    .with("intentId", stored.intentId());
        }
        return new Answer(stored.status(), ContractJson.tree(stored.answer()));
    }

    private static Answer accepted(Intent intent, RunId runId, AgentId agent) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("intentId", intent.intentId().value());
        body.put("runId", runId.toString());
        body.put("status", "running");
        body.put("agentId", agent.value());
        body.put("links", Map.of("run", "/api/v1/runs/" + runId, "events", "/api/v1/runs/" + runId + "/events:stream"));
        return new Answer(202, ContractJson.tree(body));
    }

    private static Answer refused(Intent intent, RunId runId, PolicyDecision decision) {
        boolean admission = decision.rule().startsWith("admission.");
        HttpStatus status = admission ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.FORBIDDEN;
        ProblemDetail problem = Problems.of(
                status,
                admission ? decision.rule().substring("admission.".length()) : "policy-denied",
                admission ? "Intent not admitted" : "Denied by policy",
                decision.reason());
        problem.setProperty("intentId", intent.intentId().value());
        problem.setProperty("runId", runId.toString());
        problem.setProperty("rule", decision.rule());
        return new Answer(status.value(), ContractJson.tree(Problems.asMap(problem)));
    }
}
