package ai.auraison.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import ai.auraison.testfixtures.HttpJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SkillCatalogIT extends OrchestrationITBase {

    @Test
    void registersTheFourReferenceApplicationsWithRealSkills() {
        JsonNode apps = api.get("/api/v1/applications").json().get("items");
        assertThat(apps.valueStream().map(a -> a.get("name").asString()).toList())
                .contains("ar4-physical-ai", "counter-uas", "deep-evidence-agent", "turtlebot-maze");
        JsonNode maze = api.get("/api/v1/skills/maze-navigation").json();
        assertThat(maze.get("application").asString()).isEqualTo("turtlebot-maze");
        assertThat(maze.get("tools")
                        .valueStream()
                        .map(t -> t.get("name").asString())
                        .toList())
                .containsExactly("read_ranges", "move", "rotate", "report_position");
        assertThat(maze.get("instructions").asString()).contains("right-hand wall");
        assertThat(api.get("/api/v1/skills?application=counter-uas")
                        .json()
                        .get("items")
                        .get(0)
                        .get("tools")
                        .toString())
                .contains("recommend_response");
    }

    @Test
    void loadsAnOperatorSkillFromTheFolderOnReloadAndRefusesAMalformedOne() throws Exception {
        Path folder = Path.of(
                api.post("/api/v1/skills:reload", null).json().get("folder").asString());
        Path skill = folder.resolve("maze-mapping");
        Files.createDirectories(skill);
        Files.writeString(skill.resolve("SKILL.md"), """
                ---
                name: maze-mapping
                description: Map a maze without solving it.
                version: 0.2.0
                application: turtlebot-maze
                intent-types: [maze.map]
                ---
                Walk every corridor once.
                """);
        Files.writeString(skill.resolve("tools.json"), "[]");
        HttpJson.Response reloaded = api.post("/api/v1/skills:reload", null);
        assertThat(reloaded.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/skills/maze-mapping").json().get("version").asString())
                .isEqualTo("0.2.0");
        assertThat(api.get("/api/v1/applications/turtlebot-maze")
                        .json()
                        .get("skills")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .containsAll(List.of("maze-navigation", "maze-mapping"));

        Path broken = folder.resolve("broken-skill");
        Files.createDirectories(broken);
        Files.writeString(
                broken.resolve("SKILL.md"),
                "---\nname: broken-skill\napplication: turtlebot-maze\nintent-types: [maze.x]\n---\nbody\n");
        HttpJson.Response refused = api.post("/api/v1/skills:reload", null);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("invalid-skill");
        assertThat(refused.json().get("detail").asString())
                .contains("broken-skill")
                .contains("description");
        assertThat(api.get("/api/v1/skills/maze-mapping").status()).isEqualTo(200);
        Files.delete(broken.resolve("SKILL.md"));
        Files.delete(broken);
        api.post("/api/v1/skills:reload", null);
    }

    @Test
    void refusesAnAgentWhoseSkillsAreUnknownOrOfAnotherApplication() {
        HttpJson.Response unknown = api.post(
                "/api/v1/agents",
                java.util.Map.of(
                        "agentId",
                        "turtlebot-maze.bad",
                        "application",
                        "turtlebot-maze",
                        "edgeNode",
                        "e",
                        "skills",
                        List.of("juggling"),
                        "capacity",
                        1));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.problemType()).isEqualTo("unknown-skill");
        HttpJson.Response foreign = api.post(
                "/api/v1/agents",
                java.util.Map.of(
                        "agentId",
                        "turtlebot-maze.bad",
                        "application",
                        "turtlebot-maze",
                        "edgeNode",
                        "e",
                        "skills",
                        List.of("airspace-watch"),
                        "capacity",
                        1));
        assertThat(foreign.problemType()).isEqualTo("skill-of-another-application");
        HttpJson.Response invalid = api.post(
                "/api/v1/agents",
                java.util.Map.of(
                        "agentId",
                        "Bad Agent",
                        "application",
                        "turtlebot-maze",
                        "edgeNode",
                        "e",
                        "skills",
                        List.of("maze-navigation"),
                        "capacity",
                        0));
        assertThat(invalid.status()).isEqualTo(400);
    }

    @Test
    void listsAgentsWithFiltersAndCursors() {
        for (int i = 0; i < 3; i++) newAgent("counter-uas", "airspace-watch", 1);
        JsonNode page =
                api.get("/api/v1/agents?application=counter-uas&limit=2").json();
        assertThat(page.get("items")).hasSize(2);
        JsonNode next = api.get("/api/v1/agents?application=counter-uas&limit=2&cursor="
                        + page.get("nextCursor").asString())
                .json();
        assertThat(next.get("items").size()).isGreaterThanOrEqualTo(1);
        assertThat(next.get("items").get(0).get("agentId").asString())
                .isGreaterThan(page.get("items").get(1).get("agentId").asString());
        assertThat(api.get("/api/v1/agents?status=healthy&application=counter-uas")
                        .json()
                        .get("items")
                        .size())
                .isGreaterThanOrEqualTo(3);
    }
}
