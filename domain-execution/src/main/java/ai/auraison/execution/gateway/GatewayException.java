package ai.auraison.execution.gateway;

import java.util.Objects;

/**
 * A call the gateway refuses or could not serve. The gateway answers it in the format of the API that was called
 * (OpenAI {@code {"error":{…}}} or Anthropic {@code {"type":"error","error":{…}}}) with the kind's status, and
 * {@code Retry-After} when {@link #retryAfterSeconds()} is positive.
 */
public class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, with its HTTP status. */
    public enum Kind {
        INVALID_REQUEST(400),
        AUTHENTICATION(401),
        PERMISSION(403),
        NOT_FOUND(404),
        REQUEST_TOO_LARGE(413),
        RATE_LIMITED(429),
        UPSTREAM(502),
        UNAVAILABLE(503),
        TIMEOUT(504),
        INTERNAL(500);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        /** The HTTP status. */
        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final String code;
    private final String param;
    private final long retryAfterSeconds;

    public GatewayException(Kind kind, String code, String message) {
        this(kind, code, message, null, 0);
    }

    public GatewayException(Kind kind, String code, String message, String param, long retryAfterSeconds) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 400 naming the offending parameter. */
    public static GatewayException invalid(String param, String message) {
        return new GatewayException(Kind.INVALID_REQUEST, "invalid_" + paramCode(param), message, param, 0);
    }

    private static final java.util.regex.Pattern REFUSED_BY_RULE =
            java.util.regex.Pattern.compile("refused by policy rule (\\S+?):?\\s");

    /**
     * 403: a policy hook refused the call; the message names the rule in a form {@link #refusedRule} reads back (Pi
     * passes only the message on to the edge's run).
     */
    public static GatewayException policyDenied(String rule, String reason) {
        return new GatewayException(
                Kind.PERMISSION,
                "policy_denied",
                "The model call was refused by policy rule " + rule + ": " + reason,
                null,
                0);
    }

    /** The rule named by a {@link #policyDenied} message found in {@code text}, if any. */
    public static java.util.Optional<String> refusedRule(String text) {
        java.util.regex.Matcher m = REFUSED_BY_RULE.matcher(text);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static String paramCode(String param) {
        return param == null ? "request" : "parameter";
    }

    public Kind kind() {
        return kind;
    }

    /** A machine-readable code ({@code model_not_found}, {@code rate_limit_exceeded}, …), or null. */
    public String code() {
        return code;
    }

    /** The request parameter or header at fault, or null. */
    public String param() {
        return param;
    }

    /** Seconds the caller should wait before retrying; zero when not applicable. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
