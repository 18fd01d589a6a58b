package ai.auraison.bench.gateway;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The gateway as the apps serve it (its auto-configuration with the rest of Boot's: actuator metrics, observation,
 * the platform's filters), in a JVM of its own like any peer gateway, in front of the upstream at
 * {@code http://127.0.0.1:<args[0]>}. Prints {@code PORT=<port>} once it listens; stops when its standard input
 * closes.
 */
public final class BenchGatewayServer {

    private BenchGatewayServer() {}

    public static void main(String[] args) throws Exception {
        String upstream = "http://127.0.0.1:" + args[0];
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", "0");
        p.put("server.address", "127.0.0.1");
        p.put("spring.threads.virtual.enabled", "true");
        p.put("spring.main.banner-mode", "off");
        p.put("spring.jmx.enabled", "false");
        p.put("logging.level.root", "warn");
        p.put("auraison.data-dir", Files.createTempDirectory("gateway-bench").toString());
        p.put("auraison.gateway.providers.bench.kind", "OPENAI");
        p.put("auraison.gateway.providers.bench.base-url", upstream + "/v1");
        p.put("auraison.gateway.providers.bench.api-key", "sk-upstream");
        p.put("auraison.gateway.deployments.bench.provider", "bench");
        p.put("auraison.gateway.deployments.bench.model", "bench-model");
        p.put("auraison.gateway.deployments.bench.input-price-per-million", "0.15");
        p.put("auraison.gateway.deployments.bench.output-price-per-million", "0.6");
        try (ConfigurableApplicationContext app =
                new SpringApplicationBuilder(App.class).properties(p).run()) {
            System.out.println(
                    "PORT=" + ((WebServerApplicationContext) app).getWebServer().getPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our standard input
            }
        }
    }

    /** Auto-configuration, as in the apps, plus a bare servlet that answers a canned completion (the floor). */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        ServletRegistrationBean<HttpServlet> benchEcho() {
            byte[] body = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1700000000,"
                            + "\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                            + "\"content\":\"Hello from bench-model.\"},\"finish_reason\":\"stop\"}],\"usage\":"
                            + "{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}")
                    .getBytes(StandardCharsets.UTF_8);
            HttpServlet echo = new HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                    request.getInputStream().readAllBytes();
                    response.setContentType("application/json");
                    response.setContentLength(body.length);
                    response.getOutputStream().write(body);
                }
            };
            return new ServletRegistrationBean<>(echo, "/bench/echo");
        }
    }
}
