package ai.auraison.platform;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem documents with Auraison's type URIs: {@code https://auraison.ai/problems/<slug>}. Every error
 * response of both apps is built here, so the slugs form one documented catalogue (see {@code docs/api/problems.md}).
 */
public final class Problems {

    /** The prefix of every problem type URI. */
    public static final String TYPE_BASE = "https://auraison.ai/problems/";

    private Problems() {}

    /** A problem of {@code status} with type {@code slug}, a title and a detail. */
    public static ProblemDetail of(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + slug));
        problem.setTitle(title);
        return problem;
    }

    /**
     * The problem as the JSON object it is sent as: the standard members, then the extension members at the same
     * level (for problems that are stored or built outside Spring MVC).
     */
    public static java.util.Map<String, Object> asMap(ProblemDetail problem) {
        java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (problem.getType() != null) body.put("type", problem.getType().toString());
        if (problem.getTitle() != null) body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        if (problem.getDetail() != null) body.put("detail", problem.getDetail());
        if (problem.getInstance() != null)
            body.put("instance", problem.getInstance().toString());
        if (problem.getProperties() != null) body.putAll(problem.getProperties());
        return body;
    }

    /** The slug of a problem type URI, or {@code about:blank}. */
    public static String slugOf(ProblemDetail problem) {
        String type = String.valueOf(problem.getType());
        return type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type;
    }

    /** A slug derived from an HTTP status for problems Spring raises itself: {@code method-not-allowed}, … */
    static String slugFor(HttpStatusCode status) {
        var resolved = org.springframework.http.HttpStatus.resolve(status.value());
        return resolved == null
                ? "http-" + status.value()
                : resolved.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
