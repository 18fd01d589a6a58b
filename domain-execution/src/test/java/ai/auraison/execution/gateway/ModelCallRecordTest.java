package ai.auraison.execution.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.auraison.contract.EventId;
import ai.auraison.contract.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ModelCallRecordTest {

    static ModelCallRecord record(ai.auraison.contract.RunId run, String model, String provider) {
        return new ModelCallRecord(
                UUID.randomUUID(),
                Instant.now(),
                TenantId.of("t"),
                "k",
                run,
                "openai",
                "auto",
                null,
                model,
                provider,
                false,
                1,
                2,
                BigDecimal.ONE,
                null,
                10,
                false,
                0,
                false,
                false,
                "error",
                502,
                "upstream_error",
                null,
                null,
                null);
    }

    @Test
    void refusesToBecomeARunEventWithoutARun() {
        assertThatThrownBy(() -> record(null, "m", "p").toEvent(EventId.random(), 1, Instant.now(), null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void namesTheVirtualModelAndNoProviderWhenNothingAnswered() {
        var event = record(ai.auraison.contract.RunId.random(), null, null)
                .toEvent(EventId.random(), 3, Instant.now(), null);
        assertThat(event.model()).isEqualTo("auto");
        assertThat(event.provider()).isEqualTo("none");
        assertThat(event.seq()).isEqualTo(3);
    }
}
