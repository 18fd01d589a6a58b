package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;

/** Writes the security refusals as RFC 9457 problems: 401 {@code unauthorized}, 403 {@code forbidden}, 429. */
final class SecurityProblems {

    static final String UNKNOWN_KEY = "the API key is unknown, revoked or expired";

    private SecurityProblems() {}

    /** 401 for a request without a key (Spring Security's entry point). */
    static void unauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        unauthorized(request, response, "this endpoint needs an API key: send it as Authorization: Bearer <key>");
    }

    static void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"auraison\"");
        write(
                request,
                response,
                Problems.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail),
                Map.of());
    }

    /** 403 for a caller whose roles do not allow the request. */
    static void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String who = Caller.current()
                .map(c -> "principal " + c.principal() + " (roles "
                        + c.roles().stream().map(Caller.Role::wireName).sorted().toList() + ")")
                .orElse("this caller");
        write(
                request,
                response,
                Problems.of(
                        HttpStatus.FORBIDDEN,
                        "forbidden",
                        "Forbidden",
                        who + " may not " + request.getMethod() + " " + request.getRequestURI()),
                Map.of());
    }

    static void write(
            HttpServletRequest request,
            HttpServletResponse response,
            ProblemDetail problem,
            Map<String, String> headers)
            throws IOException {
        if (response.isCommitted()) return;
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setStatus(problem.getStatus());
        headers.forEach(response::setHeader);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(ContractJson.writeBytes(Problems.asMap(problem)));
    }
}
