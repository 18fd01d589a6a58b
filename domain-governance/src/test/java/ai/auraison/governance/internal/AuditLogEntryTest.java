package ai.auraison.governance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLogEntryTest {

    @Test
    void nulWhichPostgresqlTextRefusesIsReplacedInEveryField() {
        AuditLog.Entry e = new AuditLog.Entry(
                "t\u0000", Instant.EPOCH, "a\u0000", "c\u0000", "x\u0000", "s\u0000", "o\u0000", "{\u0000}");
        assertThat(e.tenant()).isEqualTo("t\uFFFD");
        assertThat(e.actor()).isEqualTo("a\uFFFD");
        assertThat(e.category()).isEqualTo("c\uFFFD");
        assertThat(e.action()).isEqualTo("x\uFFFD");
        assertThat(e.subject()).isEqualTo("s\uFFFD");
        assertThat(e.outcome()).isEqualTo("o\uFFFD");
        assertThat(e.details()).isEqualTo("{\uFFFD}");
        AuditLog.Entry clean = new AuditLog.Entry("t", Instant.EPOCH, "a", "c", "x", "s", "o", null);
        assertThat(clean.subject()).isSameAs("s");
        assertThat(clean.details()).isNull();
    }
}
