package ai.auraison.zenoh;

import java.util.Objects;

/**
 * What a get asks for: a key expression and optional parameters ({@code key/expr?name=value;other=x}).
 *
 * @param keyExpr the key expression
 * @param parameters the text after {@code ?}, possibly empty
 */
public record Selector(KeyExpr keyExpr, String parameters) {

    public Selector {
        Objects.requireNonNull(keyExpr, "keyExpr");
        parameters = parameters == null ? "" : parameters;
    }

    public static Selector of(KeyExpr keyExpr) {
        return new Selector(keyExpr, "");
    }

    /** Parses {@code key/expr} or {@code key/expr?parameters}; the key expression is canonized. */
    public static Selector tryFrom(String text) throws ZError {
        int q = text.indexOf('?');
        if (q < 0) return new Selector(KeyExpr.autocanonize(text), "");
        return new Selector(KeyExpr.autocanonize(text.substring(0, q)), text.substring(q + 1));
    }

    @Override
    public String toString() {
        return parameters.isEmpty() ? keyExpr.toString() : keyExpr + "?" + parameters;
    }
}
