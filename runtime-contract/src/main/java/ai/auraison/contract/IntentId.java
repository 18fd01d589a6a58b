package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/** Client-chosen identifier of an {@link Intent}; also its idempotency key. Serialised as a plain string matching {@value #PATTERN}. */
public record IntentId(String value) implements Comparable<IntentId> {

    /** The allowed form. */
    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    public IntentId {
        if (value == null || !COMPILED.matcher(value).matches()) {
            throw new IllegalArgumentException("IntentId must match " + PATTERN + ": " + value);
        }
    }

    @JsonCreator
    public static IntentId of(String value) {
        return new IntentId(value);
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }

    @Override
    public int compareTo(IntentId other) {
        return value.compareTo(other.value);
    }
}
