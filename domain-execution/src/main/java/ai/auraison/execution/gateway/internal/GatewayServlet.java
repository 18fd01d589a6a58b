package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The gateway's HTTP face, a plain servlet beside Spring MVC (no handler mapping, message conversion or advice in
 * the path): {@code POST /v1/chat/completions}, {@code POST /v1/messages}, {@code GET /v1/models[/{id}]}. Every
 * error, a wrong method included, is answered in the format of the API the path belongs to.
 */
final class GatewayServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String[] PATHS = {"/v1/chat/completions", "/v1/messages", "/v1/models", "/v1/models/*"};

    private final transient GatewayService service;

    GatewayServlet(GatewayService service) {
        this.service = service;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String method = request.getMethod();
        switch (path) {
            case "/v1/chat/completions" -> {
                if (allowed(method, "POST", ApiFormat.OPENAI, response))
                    service.chat(ApiFormat.OPENAI, request, response);
            }
            case "/v1/messages" -> {
                if (allowed(method, "POST", ApiFormat.ANTHROPIC, response))
                    service.chat(ApiFormat.ANTHROPIC, request, response);
            }
            default -> {
                ApiFormat api = request.getHeader("anthropic-version") != null ? ApiFormat.ANTHROPIC : ApiFormat.OPENAI;
                if (path.equals("/v1/models")) {
                    if (allowed(method, "GET", api, response)) service.models(request, response, null);
                } else if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
                    if (allowed(method, "GET", api, response)) {
                        service.models(request, response, path.substring("/v1/models/".length()));
                    }
                } else {
                    error(
                            response,
                            api,
                            new GatewayException(GatewayException.Kind.NOT_FOUND, "not_found", "No route " + path));
                }
            }
        }
    }

    private static boolean allowed(String method, String expected, ApiFormat api, HttpServletResponse response)
            throws IOException {
        if (expected.equals(method)) return true;
        response.setHeader("allow", expected);
        byte[] body = GatewayJson.bytes(api.errorNode(
                GatewayException.Kind.INVALID_REQUEST,
                "method_not_allowed",
                "Use " + expected + " on this path",
                null));
        response.setStatus(405);
        response.setContentType("application/json");
        response.getOutputStream().write(body);
        return false;
    }

    private static void error(HttpServletResponse response, ApiFormat api, GatewayException e) throws IOException {
        response.setStatus(e.kind().status());
        response.setContentType("application/json");
        response.getOutputStream().write(api.errorBody(e));
    }
}
