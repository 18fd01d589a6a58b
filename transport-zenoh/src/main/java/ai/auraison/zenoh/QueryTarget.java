package ai.auraison.zenoh;

/** Which queryables a query goes to. */
public enum QueryTarget {
    /** The queryables that best match (the router's choice). */
    BEST_MATCHING,
    /** Every matching queryable. */
    ALL,
    /** Every matching queryable declared complete. */
    ALL_COMPLETE
}
