package ai.auraison.contract.spi;

/**
 * The model gateway's vocabulary towards model-call {@link PolicyHook}s: it asks them twice per call, before it with
 * the estimates ({@link #RESERVE}) and after it with the actual tokens and cost ({@link #SETTLE}, informational: the
 * settlement of the first, not a decision), both naming the call ({@link #CALL_ID}) so that a budget ledger reserves
 * and settles once per call. The keys go in {@link DecisionContext#attributes()}.
 */
public final class ModelCallPhases {

    /** The attribute naming the phase: {@link #RESERVE} or {@link #SETTLE}. */
    public static final String PHASE = "gateway.phase";

    /** The attribute naming the gateway's call id (a UUID), the same in both phases. */
    public static final String CALL_ID = "gateway.call-id";

    /** The attribute with the call's outcome, in the settle phase. */
    public static final String OUTCOME = "gateway.outcome";

    public static final String RESERVE = "reserve";
    public static final String SETTLE = "settle";

    private ModelCallPhases() {}

    /** Whether {@code context} is the settle phase of a model call (no decision is asked). */
    public static boolean isSettlement(DecisionContext context) {
        return SETTLE.equals(context.attributes().get(PHASE));
    }
}
