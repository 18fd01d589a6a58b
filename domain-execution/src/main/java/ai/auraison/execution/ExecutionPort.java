package ai.auraison.execution;

import java.util.Locale;

/** The execution ports a tool can be bound to. */
public enum ExecutionPort {
    ROBOT,
    INFERENCE,
    JOB;

    /** The configuration name: {@code robot}, {@code inference}, {@code job}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ExecutionPort of(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
