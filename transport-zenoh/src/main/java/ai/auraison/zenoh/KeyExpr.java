package ai.auraison.zenoh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A key expression in canonical form: {@code /}-separated chunks, where {@code *} matches one chunk, {@code **} zero
 * or more chunks, and {@code $*} any part of a chunk. Chunks starting with {@code @} are verbatim: wildcards never
 * match them, only an identical chunk does.
 *
 * <p>Canonical form (required on the wire): no empty chunk, no leading or trailing {@code /}, no {@code #} or
 * {@code ?}, {@code *} only as a whole chunk, no {@code **} followed by {@code *} or {@code **}, no {@code $*} alone in
 * a chunk or repeated. {@link #autocanonize} rewrites an expression into that form ({@code a/**}{@code /*} becomes
 * {@code a/*}{@code /**}).
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyExpr {

    private final String text;
    private final String[] chunks;

    private KeyExpr(String text) {
        this.text = text;
        this.chunks = text.split("/", -1);
    }

    /** The key expression {@code text}, which must already be canonical. */
    public static KeyExpr tryFrom(String text) throws ZError {
        String problem = problem(Objects.requireNonNull(text, "text"));
        if (problem != null) throw new ZError("invalid key expression '" + text + "': " + problem);
        return new KeyExpr(text);
    }

    /** The canonical form of {@code text}; fails when even that is not a valid key expression. */
    public static KeyExpr autocanonize(String text) throws ZError {
        return tryFrom(canonize(Objects.requireNonNull(text, "text")));
    }

    /** {@code text}, which the caller guarantees is canonical (for constants and already validated keys). */
    public static KeyExpr of(String text) {
        try {
            return tryFrom(text);
        } catch (ZError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** This expression followed by {@code /} and {@code suffix}, canonized. */
    public KeyExpr join(String suffix) throws ZError {
        return autocanonize(text + "/" + suffix);
    }

    /** Whether at least one key matches both expressions. */
    public boolean intersects(KeyExpr other) {
        if (text.equals(other.text)) return true;
        return new Walk(chunks, other.chunks).intersects(0, 0);
    }

    /** Whether every key matching {@code other} also matches this expression. */
    public boolean includes(KeyExpr other) {
        if (text.equals(other.text)) return true;
        return new Walk(chunks, other.chunks).includes(0, 0);
    }

    /** Whether the expression has no wildcard, i.e. names exactly one key. */
    public boolean isConcrete() {
        return !text.contains("*");
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyExpr that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    // ------------------------------------------------------------------------------------------ canonical form

    static String canonize(String text) {
        String[] parts = text.split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String chunk = parts[i];
            while (chunk.contains("$*$*")) chunk = chunk.replace("$*$*", "$*");
            parts[i] = chunk.equals("$*") ? "*" : chunk;
        }
        List<String> out = new ArrayList<>(parts.length);
        int i = 0;
        while (i < parts.length) {
            if (!isWild(parts[i])) {
                out.add(parts[i++]);
                continue;
            }
            int singles = 0;
            boolean doubleWild = false;
            while (i < parts.length && isWild(parts[i])) {
                if (parts[i].equals("*")) singles++;
                else doubleWild = true;
                i++;
            }
            for (int s = 0; s < singles; s++) out.add("*");
            if (doubleWild) out.add("**");
        }
        return String.join("/", out);
    }

    private static boolean isWild(String chunk) {
        return chunk.equals("*") || chunk.equals("**");
    }

    /** Why {@code text} is not a canonical key expression, or {@code null} when it is. */
    static String problem(String text) {
        if (text.isEmpty()) return "empty";
        String[] parts = text.split("/", -1);
        for (int c = 0; c < parts.length; c++) {
            String chunk = parts[c];
            if (chunk.isEmpty()) return "empty chunk";
            if (chunk.equals("*")) continue;
            if (chunk.equals("**")) {
                if (c + 1 < parts.length && isWild(parts[c + 1])) return "'**' followed by a wildcard chunk";
                continue;
            }
            if (chunk.equals("$*")) return "'$*' alone in a chunk (write '*')";
            for (int i = 0; i < chunk.length(); i++) {
                char ch = chunk.charAt(i);
                switch (ch) {
                    case '#', '?' -> {
                        return "'" + ch + "' is not allowed";
                    }
                    case '*' -> {
                        if (i == 0 || chunk.charAt(i - 1) != '$') return "'*' inside a chunk (write '$*')";
                    }
                    case '$' -> {
                        if (i + 1 >= chunk.length() || chunk.charAt(i + 1) != '*') return "'$' not followed by '*'";
                        if (i + 2 < chunk.length() && chunk.charAt(i + 2) == '$') return "repeated '$*'";
                        i++;
                    }
                    default -> {}
                }
            }
        }
        return null;
    }

    // -------------------------------------------------------------------------------------------------- matching

    private static boolean verbatim(String chunk) {
        return chunk.startsWith("@");
    }

    /** A memoised walk over two chunk arrays, so hostile expressions with many {@code **} stay polynomial. */
    private static final class Walk {
        private final String[] a;
        private final String[] b;
        private final byte[] memo;

        Walk(String[] a, String[] b) {
            this.a = a;
            this.b = b;
            this.memo = new byte[(a.length + 1) * (b.length + 1)];
        }

        private boolean verbatimFrom(String[] chunks, int from) {
            for (int k = from; k < chunks.length; k++) if (verbatim(chunks[k])) return true;
            return false;
        }

        boolean intersects(int i, int j) {
            int slot = i * (b.length + 1) + j;
            if (memo[slot] != 0) return memo[slot] == 1;
            boolean result = computeIntersects(i, j);
            memo[slot] = (byte) (result ? 1 : 2);
            return result;
        }

        private boolean computeIntersects(int i, int j) {
            if (i == a.length || j == b.length) {
                return (i == a.length || (i == a.length - 1 && a[i].equals("**")))
                        && (j == b.length || (j == b.length - 1 && b[j].equals("**")));
            }
            String ca = a[i];
            String cb = b[j];
            if (ca.equals("**")) {
                if (i == a.length - 1) return !verbatimFrom(b, j);
                return (!verbatim(cb) && intersects(i, j + 1)) || intersects(i + 1, j);
            }
            if (cb.equals("**")) {
                if (j == b.length - 1) return !verbatimFrom(a, i);
                return (!verbatim(ca) && intersects(i + 1, j)) || intersects(i, j + 1);
            }
            return chunkIntersects(ca, cb) && intersects(i + 1, j + 1);
        }

        boolean includes(int i, int j) {
            int slot = i * (b.length + 1) + j;
            if (memo[slot] != 0) return memo[slot] == 1;
            boolean result = computeIncludes(i, j);
            memo[slot] = (byte) (result ? 1 : 2);
            return result;
        }

        private boolean computeIncludes(int i, int j) {
            if (i == a.length) return j == b.length;
            String ca = a[i];
            if (ca.equals("**")) {
                if (i == a.length - 1) return !verbatimFrom(b, j);
                if (includes(i + 1, j)) return true;
                return j < b.length && !verbatim(b[j]) && includes(i, j + 1);
            }
            if (j == b.length || b[j].equals("**")) return false;
            return chunkIncludes(ca, b[j]) && includes(i + 1, j + 1);
        }
    }

    private static boolean chunkIntersects(String ca, String cb) {
        if (ca.equals(cb)) return true;
        if (verbatim(ca) || verbatim(cb)) return false;
        if (ca.equals("*") || cb.equals("*")) return true;
        if (!ca.contains("$*") && !cb.contains("$*")) return false;
        return new Glob(tokens(ca), tokens(cb)).intersects(0, 0);
    }

    private static boolean chunkIncludes(String ca, String cb) {
        if (ca.equals(cb)) return true;
        if (verbatim(ca) || verbatim(cb)) return false;
        if (ca.equals("*")) return true;
        if (cb.equals("*") || !ca.contains("$*")) return false;
        return new Glob(tokens(ca), tokens(cb)).includes(0, 0);
    }

    private static final int STAR = -1;

    /** A chunk as code points with {@code $*} as {@link #STAR}. */
    private static int[] tokens(String chunk) {
        int[] out = new int[chunk.length()];
        int n = 0;
        for (int i = 0; i < chunk.length(); i++) {
            if (chunk.charAt(i) == '$' && i + 1 < chunk.length() && chunk.charAt(i + 1) == '*') {
                out[n++] = STAR;
                i++;
            } else {
                out[n++] = chunk.charAt(i);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Intersection and inclusion of two sub-chunk patterns whose only wildcard is {@code $*}. */
    private static final class Glob {
        private final int[] a;
        private final int[] b;
        private final byte[] memo;

        Glob(int[] a, int[] b) {
            this.a = a;
            this.b = b;
            this.memo = new byte[(a.length + 1) * (b.length + 1)];
        }

        boolean intersects(int i, int j) {
            int slot = i * (b.length + 1) + j;
            if (memo[slot] != 0) return memo[slot] == 1;
            boolean result;
            if (i == a.length && j == b.length) result = true;
            else if (i < a.length && a[i] == STAR)
                result = intersects(i + 1, j) || (j < b.length && intersects(i, j + 1));
            else if (j < b.length && b[j] == STAR)
                result = intersects(i, j + 1) || (i < a.length && intersects(i + 1, j));
            else result = i < a.length && j < b.length && a[i] == b[j] && intersects(i + 1, j + 1);
            memo[slot] = (byte) (result ? 1 : 2);
            return result;
        }

        boolean includes(int i, int j) {
            int slot = i * (b.length + 1) + j;
            if (memo[slot] != 0) return memo[slot] == 1;
            boolean result;
            if (i == a.length) result = j == b.length;
            else if (a[i] == STAR) result = includes(i + 1, j) || (j < b.length && includes(i, j + 1));
            else result = j < b.length && b[j] != STAR && a[i] == b[j] && includes(i + 1, j + 1);
            memo[slot] = (byte) (result ? 1 : 2);
            return result;
        }
    }
}
