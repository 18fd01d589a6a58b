package ai.auraison.orchestration.internal;

import ai.auraison.platform.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Opaque pagination cursors: the sort key of the last item returned, base64url-encoded. A cursor that does not
 * decode is a 400 problem naming {@code cursor}.
 */
final class Cursors {

    private static final char SEPARATOR = '\u001f';

    private Cursors() {}

    static String encode(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join(String.valueOf(SEPARATOR), parts).getBytes(StandardCharsets.UTF_8));
    }

    static List<String> decode(String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> values = List.of(text.split(String.valueOf(SEPARATOR), -1));
            if (values.size() != parts) throw new IllegalArgumentException("wrong shape");
            return values;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("cursor", "the cursor is not one this API issued: " + cursor);
        }
    }

    static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) return defaultLimit;
        if (requested < 1 || requested > max) {
            throw ProblemException.badParameter("limit", "limit must be between 1 and " + max + ", was " + requested);
        }
        return requested;
    }

    /** A page of items and the cursor of the next page (absent on the last page). */
    record Page<T>(List<T> items, String nextCursor) {}
}
