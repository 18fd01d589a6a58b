package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkillFoldersTest {

    private static final String MD = """
            ---
            name: %s
            description: Test skill.
            version: 1.2.3
            application: turtlebot-maze
            intent-types: [maze.solve]
            ---
            # Instructions

            Do it well.
            """;

    @Test
    void shipsTheSkillsOfTheFourReferenceApplications() {
        List<Skill> builtin = SkillFolders.builtin();
        assertThat(builtin)
                .extracting(Skill::application)
                .containsExactlyInAnyOrder("counter-uas", "ar4-physical-ai", "deep-evidence-agent", "turtlebot-maze");
        assertThat(builtin).allSatisfy(s -> assertThat(s.tools()).isNotEmpty());
        assertThat(SkillFolders.builtinApplications()).contains("turtlebot-maze");
    }

    @Test
    void parsesFrontMatterInstructionsAndTools() {
        Skill s = SkillFolders.parse(
                "demo",
                MD.formatted("demo"),
                "[{\"name\":\"move\",\"description\":\"Move.\",\"inputSchema\":{\"type\":\"object\"}}]",
                "test");
        assertThat(s.version()).isEqualTo("1.2.3");
        assertThat(s.intentTypes()).containsExactly("maze.solve");
        assertThat(s.instructions()).startsWith("# Instructions").endsWith("Do it well.");
        assertThat(s.tool("move")).isPresent();
    }

    @Test
    void namesTheFileAndFieldOfAMalformedSkill() {
        assertThatThrownBy(() -> SkillFolders.parse(
                        "demo", MD.formatted("demo").replace("description: Test skill.\n", ""), "[]", "dir/demo"))
                .isInstanceOf(SkillFolders.InvalidSkillException.class)
                .hasMessageContaining("dir/demo")
                .hasMessageContaining("description");
        assertThatThrownBy(() -> SkillFolders.parse("other", MD.formatted("demo"), "[]", "dir/other"))
                .hasMessageContaining("must equal the folder name");
        assertThatThrownBy(() -> SkillFolders.parse(
                        "demo",
                        MD.formatted("demo"),
                        "[{\"name\":\"move\",\"description\":\"d\",\"inputSchema\":{\"type\":12}}]",
                        "dir/demo"))
                .hasMessageContaining("tools.json")
                .hasMessageContaining("move");
        assertThatThrownBy(() -> SkillFolders.parse("demo", "no front matter", "[]", "dir/demo"))
                .hasMessageContaining("front matter");
    }

    @Test
    void writesAFolderThatReadsBackEqual(@TempDir Path dir) throws Exception {
        Skill maze = SkillFolders.builtin().stream()
                .filter(s -> s.name().equals("maze-navigation"))
                .findFirst()
                .orElseThrow();
        Path folder = SkillFolders.write(maze, dir);
        assertThat(Files.readString(folder.resolve("SKILL.md"))).startsWith("---\nname: maze-navigation\n");
        assertThat(SkillFolders.read(folder)).isEqualTo(maze);
        assertThat(SkillFolders.readAll(dir)).containsExactly(maze);
    }
}
