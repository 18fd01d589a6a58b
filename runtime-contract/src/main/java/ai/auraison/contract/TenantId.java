package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** Identifies a tenant; every stored row and every query is scoped by one. Serialised as a plain string matching {@value #PATTERN}. */
public record TenantId(String value) implements Comparable<TenantId> {

    /** The allowed form. */
    public static final String PATTERN = "^[a-z0-9][a-z0-9-]{0,62}$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    public TenantId {
        if (value == null || !COMPILED.matcher(value).matches()) {
            throw new IllegalArgumentException("TenantId must match " + PATTERN + ": " + value);
        }
    }

    @JsonCreator
    public static TenantId of(String value) {
        return new TenantId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(TenantId other) {
        return value.compareTo(other.value);
    }
}
