package ai.auraison.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

class OpenApiIT extends OrchestrationITBase {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void documentsEveryEndpointWithASummary() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        List<String> missing = new ArrayList<>();
        mappings.getHandlerMethods().forEach((info, method) -> {
            if (!method.getBeanType().getPackageName().startsWith("ai.auraison")) return;
            for (String path : info.getPatternValues()) {
                for (var verb : info.getMethodsCondition().getMethods()) {
                    JsonNode op = paths.path(path).path(verb.name().toLowerCase(java.util.Locale.ROOT));
                    if (op.isMissingNode() || op.path("summary").asString("").isBlank()) missing.add(verb + " " + path);
                }
            }
        });
        assertThat(missing).isEmpty();
        assertThat(paths.has("/api/v1/intents/{intentId}:cancel")).isTrue();
        assertThat(paths.has("/api/v1/runs/{runId}/events:stream")).isTrue();
    }
}
