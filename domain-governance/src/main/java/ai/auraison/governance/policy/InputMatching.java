package ai.auraison.governance.policy;

import ai.auraison.governance.policy.Conditions.InputCondition;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Resolves RFC 6901 JSON pointers in plain maps and lists and applies input conditions to what they find. */
final class InputMatching {

    private static final Object ABSENT = new Object();

    private InputMatching() {}

    static boolean holds(InputCondition c, Object document) {
        Object found = resolve(document, c.pointer());
        return switch (c.operator()) {
            case EXISTS -> (found != ABSENT) == (Boolean) c.value();
            case EQUALS -> found != ABSENT && same(found, c.value());
            case NOT_EQUALS -> found == ABSENT || !same(found, c.value());
            case IN -> found != ABSENT && ((List<?>) c.value()).stream().anyMatch(v -> same(found, v));
            case MATCHES ->
                found != ABSENT
                        && (found instanceof String || found instanceof Number || found instanceof Boolean)
                        && ((Pattern) c.value()).matcher(String.valueOf(found)).matches();
            case GREATER_THAN -> found instanceof Number n && decimal(n).compareTo((BigDecimal) c.value()) > 0;
            case LESS_THAN -> found instanceof Number n && decimal(n).compareTo((BigDecimal) c.value()) < 0;
        };
    }

    /** The value at {@code pointer}, or {@link #ABSENT}. */
    static Object resolve(Object document, String pointer) {
        if (pointer.isEmpty()) return document == null ? ABSENT : document;
        Object current = document;
        int start = 1;
        while (start <= pointer.length()) {
            int end = pointer.indexOf('/', start);
            if (end < 0) end = pointer.length();
            String token = pointer.substring(start, end).replace("~1", "/").replace("~0", "~");
            if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(token)) return ABSENT;
                current = map.get(token);
            } else if (current instanceof List<?> list) {
                int index;
                try {
                    index = Integer.parseInt(token);
                } catch (NumberFormatException e) {
                    return ABSENT;
                }
                if (index < 0 || index >= list.size()) return ABSENT;
                current = list.get(index);
            } else {
                return ABSENT;
            }
            start = end + 1;
        }
        return current;
    }

    private static boolean same(Object found, Object expected) {
        if (found instanceof Number a && expected instanceof Number b)
            return decimal(a).compareTo(decimal(b)) == 0;
        return found != null && found.equals(expected);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }
}
