package ai.auraison.zenoh;

/**
 * Options of a queryable.
 *
 * @param complete whether the queryable answers for every key its expression matches (targeted by
 *     {@link QueryTarget#ALL_COMPLETE})
 */
public record QueryableOptions(boolean complete) {

    public static QueryableOptions defaults() {
        return new QueryableOptions(false);
    }
}
