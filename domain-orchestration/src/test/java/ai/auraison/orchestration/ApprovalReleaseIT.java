package ai.auraison.orchestration;

import static ai.auraison.testfixtures.ContractFixtures.anIntent;
import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.spi.DecisionContext;
import ai.auraison.contract.spi.PolicyDecision;
import ai.auraison.contract.spi.PolicyHook;
import ai.auraison.contract.spi.PolicySubject;
import ai.auraison.platform.ApprovalDecided;
import ai.auraison.testfixtures.HttpJson;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * An intent admitted as awaiting_approval is queued when approved and rejected when denied. Its own context (one more
 * hook) is closed afterwards, so that its reaper does not load the database the other tests share.
 */
@Import(ApprovalReleaseIT.NeedsApproval.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ApprovalReleaseIT extends OrchestrationITBase {

    /** Intents whose params hold {@code needsApproval: true} wait for an approval, as a governance rule would make them. */
    @TestConfiguration
    static class NeedsApproval {
        @Bean
        PolicyHook approvalRequiringHook() {
            return new PolicyHook() {
                @Override
                public String name() {
                    return "test-approvals";
                }

                @Override
                public PolicyDecision decide(PolicySubject subject, DecisionContext context) {
                    return subject instanceof PolicySubject.IntentSubject i
                                    && Boolean.TRUE.equals(i.intent().params().get("needsApproval"))
                            ? new PolicyDecision.RequireApproval("a test rule wants an operator", "test/needs-approval")
                            : PolicyDecision.allow("test/none");
                }
            };
        }
    }

    @Autowired
    ApplicationEventPublisher events;

    private HttpJson.Response awaiting(String agent, String intentId) {
        HttpJson.Response r = api.post(
                "/api/v1/intents",
                ContractJson.write(anIntent()
                        .withId(intentId)
                        .targeting(agent)
                        .withParams(Map.of("maze", "classic-8x8", "needsApproval", true))
                        .build()));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.json().get("status").asString()).isEqualTo("awaiting_approval");
        return r;
    }

    @Test
    void anApprovedIntentIsQueuedForItsAgent() {
        String agent = newMazeAgent();
        String intentId = "approve-" + java.util.UUID.randomUUID();
        String runId = awaiting(agent, intentId).json().get("runId").asString();
        assertThat(run(runId).get("status").asString()).isEqualTo("pending");
        assertThat(poll(agent, 1, 0)).isEmpty();

        events.publishEvent(new ApprovalDecided("acme", "intent", intentId, true, "acme/ops", "approval/1", "go"));

        assertThat(run(runId).get("status").asString()).isEqualTo("queued");
        assertThat(poll(agent, 1, 5).get(0).get("runId").asString()).isEqualTo(runId);
        assertThat(kinds(runId)).containsSubsequence("PolicyDecided", "PolicyDecided", "RunQueued", "RunDispatched");
        // a second decision changes nothing
        events.publishEvent(new ApprovalDecided("acme", "intent", intentId, false, "acme/ops", "approval/1", "late"));
        assertThat(run(runId).get("status").asString()).isEqualTo("dispatched");
    }

    @Test
    void aDeniedIntentIsRejected() {
        String agent = newMazeAgent();
        String intentId = "deny-" + java.util.UUID.randomUUID();
        String runId = awaiting(agent, intentId).json().get("runId").asString();
        events.publishEvent(new ApprovalDecided("acme", "intent", intentId, false, "acme/ops", "approval/2", "no"));
        var state = run(runId);
        assertThat(state.get("status").asString()).isEqualTo("rejected");
        assertThat(state.at("/failure/code").asString()).isEqualTo("approval.denied");
    }

    @Test
    void anApprovalOfAnotherTenantsIntentIdReleasesNothing() {
        String agent = newMazeAgent();
        String intentId = "other-" + java.util.UUID.randomUUID();
        String runId = awaiting(agent, intentId).json().get("runId").asString();
        events.publishEvent(new ApprovalDecided("globex", "intent", intentId, true, "globex/ops", "approval/3", ""));
        assertThat(run(runId).get("status").asString()).isEqualTo("pending");
    }
}
