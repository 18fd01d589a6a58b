package ai.auraison.zenoh;

/** The priority of a message; each has its own lane on a link when the router negotiates QoS. */
public enum Priority {
    REAL_TIME(1),
    INTERACTIVE_HIGH(2),
    INTERACTIVE_LOW(3),
    DATA_HIGH(4),
    DATA(5),
    DATA_LOW(6),
    BACKGROUND(7);

    private final int value;

    Priority(int value) {
        this.value = value;
    }

    /** The wire value (1 to 7; 0 is reserved for Zenoh's control messages). */
    public int value() {
        return value;
    }

    /** The priority with wire value {@code value}; 0 (control) maps to {@link #REAL_TIME}. */
    public static Priority fromValue(int value) {
        return value <= 1 ? REAL_TIME : values()[Math.min(value, 7) - 1];
    }
}
