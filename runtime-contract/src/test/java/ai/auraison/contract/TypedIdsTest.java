package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TypedIdsTest {

    @Test
    void serialisesIdsAsPlainStrings() {
        RunId run = RunId.of("0b8f8a52-3b3e-4c41-9f2e-6f5b3a4f6c11");
        assertThat(ContractJson.write(run)).isEqualTo("\"0b8f8a52-3b3e-4c41-9f2e-6f5b3a4f6c11\"");
        assertThat(ContractJson.read("\"acme\"", TenantId.class)).isEqualTo(TenantId.of("acme"));
    }

    @Test
    void refusesIdsOutsideTheirPattern() {
        assertThatThrownBy(() -> AgentId.of("Not An Agent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(AgentId.PATTERN);
        assertThatThrownBy(() -> IntentId.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RunId.of("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsOnlyMajorVersionOne() {
        assertThat(SchemaVersions.accepts("1.0")).isTrue();
        assertThat(SchemaVersions.accepts("1.12")).isTrue();
        assertThat(SchemaVersions.accepts("2.0")).isFalse();
        assertThat(SchemaVersions.accepts(null)).isFalse();
    }
}
