package ai.auraison.execution.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    static SseReader reader(String s) {
        return new SseReader(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsEventsWithTheirExactBytes() throws IOException {
        String wire = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\ndata:x\ndata: y\n\n";
        SseReader r = reader(wire);
        SseReader.SseEvent first = r.next();
        assertThat(first.event()).isEqualTo("message_start");
        assertThat(first.data()).isEqualTo("{\"a\":1}");
        assertThat(new String(first.raw(), StandardCharsets.UTF_8))
                .isEqualTo("event: message_start\r\ndata: {\"a\":1}\r\n\r\n");
        SseReader.SseEvent comment = r.next();
        assertThat(comment.data()).isNull();
        assertThat(new String(comment.raw(), StandardCharsets.UTF_8)).isEqualTo(": keep-alive\n\n");
        assertThat(r.next().data()).isEqualTo("x\ny");
        assertThat(r.next()).isNull();
    }

    @Test
    void dropsAnUnfinishedLastEvent() throws IOException {
        SseReader r = reader("data: whole\n\ndata: cut");
        assertThat(r.next().data()).isEqualTo("whole");
        assertThat(r.next()).isNull();
    }
}
