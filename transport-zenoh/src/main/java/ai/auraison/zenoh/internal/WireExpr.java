package ai.auraison.zenoh.internal;

/**
 * A key expression as it travels: a numeric scope declared earlier with {@code D_KEYEXPR} (0 for none) plus a suffix.
 *
 * @param scope the declared expression id, 0 for none
 * @param suffix the rest of the key expression, possibly empty
 * @param senderMapping whether {@code scope} is an id the sender declared (flag M) rather than one the receiver did
 */
public record WireExpr(int scope, String suffix, boolean senderMapping) {

    /** The empty expression used where an extension is absent. */
    public static final WireExpr NONE = new WireExpr(0, "", false);

    public static WireExpr of(String key) {
        return new WireExpr(0, key, false);
    }

    public boolean hasSuffix() {
        return !suffix.isEmpty();
    }
}
