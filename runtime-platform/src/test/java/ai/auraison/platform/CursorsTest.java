package ai.auraison.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class CursorsTest {

    @Test
    void aTimeKeyCursorRoundTrips() {
        Instant at = Instant.parse("2026-11-26T16:30:00.123456Z");
        UUID id = UUID.randomUUID();
        Cursors.TimeKey key = Cursors.decodeTimeKey(Cursors.encode(at, id.toString()));
        assertThat(key.at()).isEqualTo(at);
        assertThat(key.uuid()).isEqualTo(id);
    }

    @Test
    void aCursorThatDecodesButHoldsNoTimeOrNoUuidIsA400NamingTheCursor() {
        String notATime = Cursors.encode("yesterday", UUID.randomUUID().toString());
        assertThatThrownBy(() -> Cursors.decodeTimeKey(notATime)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(e.getBody().getProperties()).containsEntry("parameter", "cursor");
        });
        Cursors.TimeKey notAUuid = Cursors.decodeTimeKey(Cursors.encode(Instant.now(), "run-7"));
        assertThatThrownBy(notAUuid::uuid)
                .isInstanceOfSatisfying(
                        ProblemException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST));
        assertThatThrownBy(() -> Cursors.decodeTimeKey("%%%")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Cursors.decode(Cursors.encode("a", "b"), 1)).isInstanceOf(ProblemException.class);
    }

    @Test
    void aNumericCursorRoundTripsAndOneHoldingNoNumberIsA400NamingTheCursor() {
        Cursors.Page<Long> first = Cursors.page(List.of(9L, 8L, 7L), 2, n -> Long.toString(n));
        assertThat(Cursors.decodeLong(first.nextCursor())).isEqualTo(8L);
        assertThat(Cursors.decodeLong(null)).isNull();
        assertThatThrownBy(() -> Cursors.decodeLong(Cursors.encode("seven")))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getBody().getProperties()).containsEntry("parameter", "cursor");
                });
        assertThatThrownBy(() -> Cursors.decodeLong("%%%")).isInstanceOf(ProblemException.class);
    }

    @Test
    void aPageHasACursorOnlyWhenMoreRowsFollow() {
        assertThat(Cursors.page(List.of("a", "b"), 2, s -> s).nextCursor()).isNull();
        Cursors.Page<String> first = Cursors.page(List.of("a", "b", "c"), 2, s -> s);
        assertThat(first.items()).containsExactly("a", "b");
        assertThat(Cursors.decode(first.nextCursor())).isEqualTo("b");
    }
}
