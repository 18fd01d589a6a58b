package ai.auraison.zenoh.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON5 reader for Zenoh configuration files: objects (with unquoted keys), arrays, single- or double-quoted
 * strings, numbers (including hexadecimal, leading or trailing dots, {@code Infinity}, {@code NaN}), booleans,
 * {@code null}, comments and trailing commas. Values become {@link Map}, {@link List}, {@link String}, {@link Double}
 * or {@link Long}, {@link Boolean} and {@code null}.
 */
public final class Json5 {

    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;

    private Json5(String text) {
        this.text = text;
    }

    /** Parses one JSON5 value; everything after it but whitespace and comments is an error. */
    public static Object parse(String text) {
        Json5 parser = new Json5(text);
        Object value = parser.value(0);
        parser.skipSpace();
        if (parser.pos < text.length()) throw parser.error("unexpected text after the value");
        return value;
    }

    private IllegalArgumentException error(String message) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException("JSON5 " + message + " at line " + line + ", column " + column);
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == '\uFEFF') {
                pos++;
            } else if (text.startsWith("//", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n') pos++;
            } else if (text.startsWith("/*", pos)) {
                int end = text.indexOf("*/", pos + 2);
                if (end < 0) throw error("unterminated comment");
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        skipSpace();
        if (pos >= text.length()) throw error("unexpected end of input");
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"', '\'' -> string();
            default -> literal();
        };
    }

    private Map<String, Object> object(int depth) {
        pos++;
        Map<String, Object> out = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) throw error("unterminated object");
            if (text.charAt(pos) == '}') {
                pos++;
                return out;
            }
            String key = text.charAt(pos) == '"' || text.charAt(pos) == '\'' ? string() : identifier();
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != ':') throw error("expected ':' after key '" + key + "'");
            pos++;
            out.put(key, value(depth + 1));
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos >= text.length() || text.charAt(pos) != '}') {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) {
        pos++;
        List<Object> out = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= text.length()) throw error("unterminated array");
            if (text.charAt(pos) == ']') {
                pos++;
                return out;
            }
            out.add(value(depth + 1));
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else if (pos >= text.length() || text.charAt(pos) != ']') {
                throw error("expected ',' or ']'");
            }
        }
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-') pos++;
            else break;
        }
        if (start == pos) throw error("expected a key");
        return text.substring(start, pos);
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) throw error("unterminated string");
            char c = text.charAt(pos++);
            if (c == quote) return out.toString();
            if (c == '\n') throw error("line break in a string");
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) throw error("unterminated string");
            char e = text.charAt(pos++);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000B');
                case '0' -> out.append('\0');
                case '\n' -> {}
                case 'u' -> {
                    if (pos + 4 > text.length()) throw error("bad \\u escape");
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private Object literal() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '.' || c == '+' || c == '-' || c == '_') pos++;
            else break;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "null":
                return null;
            case "Infinity", "+Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            case "NaN", "+NaN", "-NaN":
                return Double.NaN;
            default:
                break;
        }
        if (word.isEmpty()) throw error("unexpected character '" + text.charAt(pos) + "'");
        try {
            String digits = word.startsWith("+") ? word.substring(1) : word;
            boolean negative = digits.startsWith("-");
            String magnitude = negative ? digits.substring(1) : digits;
            if (magnitude.startsWith("0x") || magnitude.startsWith("0X")) {
                long value = Long.parseLong(magnitude.substring(2), 16);
                return negative ? -value : value;
            }
            if (!magnitude.contains(".") && !magnitude.contains("e") && !magnitude.contains("E")) {
                return Long.parseLong(digits);
            }
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("bad value '" + word + "'");
        }
    }
}
