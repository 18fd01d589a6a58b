package ai.auraison.edge.internal.pi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a failed model call names the run's failure. */
class PiRunFailureTest {

    @Test
    void aBudgetRefusalByTheGatewayFailsTheRunNamingTheBudget() {
        String error =
                "403 {\"error\":{\"type\":\"permission_error\",\"message\":\"The model call was refused by policy"
                        + " rule budget.acme-monthly: budget acme-monthly (tenant acme, month from 2026-11-01) has $0.0100 left"
                        + ", the call needs up to $0.0700\"}}";
        var f = PiRun.modelFailure(error);
        assertThat(f.code()).isEqualTo("budget.exceeded");
        assertThat(f.message()).contains("budget.acme-monthly").isEqualTo(error);
    }

    @Test
    void anotherPolicyRefusalIsAModelDenialAndAnythingElseAModelError() {
        assertThat(PiRun.modelFailure("The model call was refused by policy rule acme/no-opus: opus is off")
                        .code())
                .isEqualTo("model.denied");
        assertThat(PiRun.modelFailure("502 upstream unavailable").code()).isEqualTo("model.error");
    }
}
