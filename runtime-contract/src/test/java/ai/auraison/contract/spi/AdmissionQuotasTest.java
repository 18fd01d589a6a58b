package ai.auraison.contract.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.TenantId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionQuotasTest {

    @Test
    void aQuotaDenialCarriesItsLimitCurrentCountAndScope() {
        PolicyDecision.Deny deny = AdmissionQuotas.overQuota(AdmissionQuotas.QUEUED_INTENTS, "principal", 3, 4, "over");
        assertThat(deny.rule()).isEqualTo("quota.queued-intents");
        assertThat(deny.details()).containsEntry("limit", "3").containsEntry("current", "4");
        assertThat(deny.details()).containsEntry("scope", "principal");
        assertThat(AdmissionQuotas.isOverQuota(deny)).isTrue();
    }

    @Test
    void otherDenialsAreNotQuotaDenialsAndHaveNoDetails() {
        PolicyDecision budget = PolicyDecision.deny("budget.robotics", "spent");
        assertThat(AdmissionQuotas.isOverQuota(budget)).isFalse();
        assertThat(((PolicyDecision.Deny) budget).details()).isEmpty();
        assertThat(AdmissionQuotas.isOverQuota(PolicyDecision.allow("quota.queued-intents")))
                .isFalse();
        assertThatThrownBy(() -> AdmissionQuotas.overQuota("budget.x", "tenant", 1, 1, "no"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCountAdmissionDidNotHandOverReadsAsMinusOne() {
        DecisionContext context = new DecisionContext(
                TenantId.of("acme"), "ops", null, null, null, null, false, Map.of(AdmissionQuotas.TENANT_QUEUED, "7"));
        assertThat(AdmissionQuotas.count(context, AdmissionQuotas.TENANT_QUEUED))
                .isEqualTo(7);
        assertThat(AdmissionQuotas.count(context, AdmissionQuotas.PRINCIPAL_RUNNING))
                .isEqualTo(-1);
    }
}
