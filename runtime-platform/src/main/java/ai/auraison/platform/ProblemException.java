package ai.auraison.platform;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/**
 * An error that becomes an RFC 9457 problem response as it is: thrown by controllers and services for every
 * expected failure (not found, conflict, unprocessable, over capacity). Carries optional extra members and headers
 * such as {@code Retry-After}.
 */
public class ProblemException extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    public ProblemException(HttpStatusCode status, String slug, String title, String detail) {
        super(status, Problems.of(status, slug, title, detail), null);
    }

    /** 404: {@code what} named {@code id} does not exist (or is not visible to the caller). */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(
                HttpStatus.NOT_FOUND, what + "-not-found", capitalise(what) + " not found", "no " + what + " " + id);
    }

    /** 409 conflict of type {@code slug}. */
    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(HttpStatus.CONFLICT, slug, "Conflict", detail);
    }

    /** 422: the request is well-formed but cannot be acted on. */
    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, slug, "Unprocessable request", detail);
    }

    /** 400: a request parameter is wrong; {@code parameter} names it. */
    public static ProblemException badParameter(String parameter, String detail) {
        return new ProblemException(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter", detail)
                .with("parameter", parameter);
    }

    @Override
    public String getMessage() {
        return getBody().getDetail();
    }

    /** Adds a member to the problem document. */
    public ProblemException with(String name, Object value) {
        Map<String, Object> properties = getBody().getProperties() == null
                ? new LinkedHashMap<>()
                : new LinkedHashMap<>(getBody().getProperties());
        properties.put(name, value);
        getBody().setProperties(properties);
        return this;
    }

    /** Adds a response header, such as {@code Retry-After}. */
    public ProblemException withHeader(String name, String value) {
        getHeaders().add(name, value);
        return this;
    }

    private static String capitalise(String s) {
        String spaced = s.replace('-', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
