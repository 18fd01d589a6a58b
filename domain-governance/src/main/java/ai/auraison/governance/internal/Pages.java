package ai.auraison.governance.internal;

import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.HttpStatus;

/** Cursor pages and the caller, as the governance controllers use them. */
final class Pages {

    /** A page of items and the cursor of the next page (absent on the last page). */
    record Page<T>(List<T> items, String nextCursor) {}

    private Pages() {}

    static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) return defaultLimit;
        if (requested < 1 || requested > max) {
            throw ProblemException.badParameter("limit", "limit must be between 1 and " + max + ", was " + requested);
        }
        return requested;
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        if (cursor == null) return null;
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("cursor", "the cursor is not one this API issued: " + cursor);
        }
    }

    /** A page from {@code limit + 1} rows: the first {@code limit}, and a cursor when there were more. */
    static <T> Page<T> of(List<T> rows, int limit, Function<T, String> key) {
        if (rows.size() <= limit) return new Page<>(rows, null);
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), encode(key.apply(items.getLast())));
    }

    /** The authenticated caller; governance's filter guarantees one on every endpoint it serves. */
    static Caller caller() {
        return Caller.current()
                .orElseThrow(() -> new ProblemException(
                        HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", "this endpoint needs an API key"));
    }

    /** How the caller appears in audit records: {@code tenant/principal}. */
    static String actor(Caller c) {
        return c.tenant().value() + "/" + c.principal();
    }
}
