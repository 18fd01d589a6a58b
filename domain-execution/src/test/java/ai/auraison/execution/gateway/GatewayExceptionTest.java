package ai.auraison.execution.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayExceptionTest {

    @Test
    void aPolicyRefusalNamesItsRuleInAFormThatReadsBackFromAnyTextAroundIt() {
        GatewayException denied = GatewayException.policyDenied("budget.robotics", "spent 10.00 of 10.00 USD");
        assertThat(denied.kind()).isEqualTo(GatewayException.Kind.PERMISSION);
        assertThat(GatewayException.refusedRule("403 " + denied.getMessage() + " (from the gateway)"))
                .contains("budget.robotics");
        assertThat(GatewayException.refusedRule("502 upstream unavailable")).isEmpty();
    }
}
