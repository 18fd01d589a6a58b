package ai.auraison.platform;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Opaque pagination cursors for every list endpoint: the sort key of the last item returned, base64url-encoded. A
 * cursor that does not decode is a 400 problem naming {@code cursor}; a bad {@code limit} is a 400 naming it.
 */
public final class Cursors {

    private static final char SEPARATOR = '\u001f';

    private Cursors() {}

    public static String encode(String... parts) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(String.join(String.valueOf(SEPARATOR), parts).getBytes(StandardCharsets.UTF_8));
    }

    public static List<String> decode(String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> values = List.of(text.split(String.valueOf(SEPARATOR), -1));
            if (values.size() != parts) throw new IllegalArgumentException("wrong shape");
            return values;
        } catch (IllegalArgumentException e) {
            throw ProblemException.badParameter("cursor", "the cursor is not one this API issued: " + cursor);
        }
    }

    public static int limit(Integer requested, int defaultLimit, int max) {
        if (requested == null) return defaultLimit;
        if (requested < 1 || requested > max) {
            throw ProblemException.badParameter("limit", "limit must be between 1 and " + max + ", was " + requested);
        }
        return requested;
    }

    /** The single sort key in {@code cursor}; null for no cursor (the first page). */
    public static String decode(String cursor) {
        return cursor == null ? null : decode(cursor, 1).getFirst();
    }

    /**
     * The single numeric sort key in {@code cursor} (a sequence number, an entry id); null for no cursor (the first
     * page); a 400 problem naming {@code cursor} when it holds no number.
     */
    public static Long decodeLong(String cursor) {
        String key = decode(cursor);
        if (key == null) return null;
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw ProblemException.badParameter("cursor", "the cursor is not one this API issued: " + cursor);
        }
    }

    /** A page from {@code limit + 1} rows in sort order: the first {@code limit}, and a cursor when there were more. */
    public static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> key) {
        if (rows.size() <= limit) return new Page<>(rows, null);
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), encode(key.apply(items.getLast())));
    }

    /** The cursor of lists sorted by a time and an id (newest first, say): the last item's time and id. */
    public static String encode(Instant at, String id) {
        return encode(at.toString(), id);
    }

    /** Decodes a cursor of {@link #encode(Instant, String)}; a 400 problem naming {@code cursor} when it is not one. */
    public static TimeKey decodeTimeKey(String cursor) {
        List<String> parts = decode(cursor, 2);
        try {
            return new TimeKey(Instant.parse(parts.get(0)), parts.get(1));
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter("cursor", "the cursor is not one this API issued: " + cursor);
        }
    }

    /** A (time, id) sort key from a cursor. */
    public record TimeKey(Instant at, String id) {

        /** The id as a UUID; a 400 problem naming {@code cursor} when it is not one. */
        public UUID uuid() {
            try {
                return UUID.fromString(id);
            } catch (IllegalArgumentException e) {
                throw ProblemException.badParameter("cursor", "the cursor is not one this API issued");
            }
        }
    }

    /** A page of items and the cursor of the next page (absent on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {}
}
