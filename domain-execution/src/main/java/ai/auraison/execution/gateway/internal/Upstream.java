package ai.auraison.execution.gateway.internal;

import ai.auraison.execution.gateway.GatewayProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A provider endpoint resolved from configuration: where to POST, in which format, with which headers (credentials
 * included: never log {@link #headers()}).
 *
 * @param name the provider's configured name ({@code central} for the edge's central gateway)
 * @param format the format the endpoint speaks
 * @param endpoint the URL requests go to
 * @param headers headers sent with every request, credentials included
 * @param cloudflare whether it is a Cloudflare AI Gateway, which gets {@code cf-aig-*} headers from our routing
 * @param central whether it is the central gateway (the caller's model name passes unchanged)
 */
record Upstream(
        String name, ApiFormat format, URI endpoint, Map<String, String> headers, boolean cloudflare, boolean central) {

    @Override
    public String toString() {
        return "Upstream[" + name + " " + format + " " + endpoint + "]";
    }

    static Upstream of(String name, GatewayProperties.Provider p) {
        String base = stripSlash(p.baseUrl().toString());
        Map<String, String> headers = new LinkedHashMap<>(p.headers());
        ApiFormat format;
        String url;
        switch (p.kind()) {
            case OPENAI -> {
                format = ApiFormat.OPENAI;
                url = base + "/chat/completions";
            }
            case ANTHROPIC -> {
                format = ApiFormat.ANTHROPIC;
                url = base + "/v1/messages";
            }
            case CLOUDFLARE -> {
                switch (p.cloudflareRoute()) {
                    case ANTHROPIC -> {
                        format = ApiFormat.ANTHROPIC;
                        url = base + "/anthropic/v1/messages";
                    }
                    case COMPAT -> {
                        format = ApiFormat.OPENAI;
                        url = base + "/compat/chat/completions";
                    }
                    default -> {
                        format = ApiFormat.OPENAI;
                        url = base + "/openai/chat/completions";
                    }
                }
                if (p.gatewayToken() != null && !p.gatewayToken().isBlank()) {
                    headers.put("cf-aig-authorization", "Bearer " + p.gatewayToken());
                }
            }
            default -> throw new IllegalStateException("unknown provider kind " + p.kind());
        }
        if (p.apiKey() != null && !p.apiKey().isBlank()) {
            if (format == ApiFormat.ANTHROPIC) headers.put("x-api-key", p.apiKey());
            else headers.put("authorization", "Bearer " + p.apiKey());
        }
        if (format == ApiFormat.ANTHROPIC) headers.putIfAbsent("anthropic-version", p.anthropicVersion());
        return new Upstream(
                name,
                format,
                URI.create(url),
                Map.copyOf(headers),
                p.kind() == GatewayProperties.ProviderKind.CLOUDFLARE,
                false);
    }

    /** The central gateway's endpoint for callers of {@code format}. */
    static Upstream central(URI centralUrl, String apiKey, ApiFormat format) {
        String base = stripSlash(centralUrl.toString());
        Map<String, String> headers = new LinkedHashMap<>();
        if (apiKey != null && !apiKey.isBlank()) headers.put("authorization", "Bearer " + apiKey);
        URI url = URI.create(format == ApiFormat.OPENAI ? base + "/v1/chat/completions" : base + "/v1/messages");
        return new Upstream("central", format, url, Map.copyOf(headers), false, true);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
