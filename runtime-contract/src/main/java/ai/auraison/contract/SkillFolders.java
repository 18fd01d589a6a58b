package ai.auraison.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.core.type.TypeReference;

/**
 * The on-disk form of a {@link Skill}: one folder per skill holding {@code SKILL.md} (YAML front matter with
 * {@code name}, {@code description}, {@code version}, {@code application}, {@code intent-types}; the markdown body
 * is the instructions) and {@code tools.json} (an array of {@link ToolSpec}). The same folder is a valid Pi skill
 * (Pi reads {@code name} and {@code description} and ignores the rest).
 *
 * <p>Thread-safe (stateless).
 */
public final class SkillFolders {

    /** The instructions file of a skill folder. */
    public static final String SKILL_FILE = "SKILL.md";

    /** The tool list of a skill folder. */
    public static final String TOOLS_FILE = "tools.json";

    private SkillFolders() {}

    /** Thrown when a skill folder is malformed; the message names the file and the field. */
    public static final class InvalidSkillException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidSkillException(String message) {
            super(message);
        }
    }

    /** Every skill folder directly under {@code root}, in name order; folders without {@code SKILL.md} are ignored. */
    public static List<Skill> readAll(Path root) {
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> dirs = Files.list(root)) {
            List<Skill> skills = new ArrayList<>();
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                if (Files.exists(dir.resolve(SKILL_FILE))) skills.add(read(dir));
            }
            return skills;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list skills in " + root, e);
        }
    }

    /** Reads one skill folder. */
    public static Skill read(Path folder) {
        try {
            String markdown = Files.readString(folder.resolve(SKILL_FILE), StandardCharsets.UTF_8);
            Path toolsFile = folder.resolve(TOOLS_FILE);
            String tools = Files.exists(toolsFile) ? Files.readString(toolsFile, StandardCharsets.UTF_8) : "[]";
            return parse(folder.getFileName().toString(), markdown, tools, folder.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read skill folder " + folder, e);
        }
    }

    /**
     * Parses a skill from the text of its {@code SKILL.md} and {@code tools.json}; {@code folderName} must equal the
     * skill's name; {@code where} names the source in error messages.
     */
    @SuppressWarnings("unchecked")
    public static Skill parse(String folderName, String markdown, String toolsJson, String where) {
        String text = markdown.replace("\r\n", "\n");
        if (!text.startsWith("---\n")) {
            throw new InvalidSkillException(where + "/" + SKILL_FILE + ": must start with YAML front matter (---)");
        }
        int end = text.indexOf("\n---", 4);
        if (end < 0) throw new InvalidSkillException(where + "/" + SKILL_FILE + ": front matter is not closed (---)");
        Map<String, Object> front;
        try {
            Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.substring(4, end));
            front = loaded instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (RuntimeException e) {
            throw new InvalidSkillException(where + "/" + SKILL_FILE + ": front matter is not YAML: " + e.getMessage());
        }
        String body = text.substring(text.indexOf('\n', end + 1) + 1).strip();

        List<Object> tools;
        try {
            tools = ContractJson.mapper().readValue(toolsJson, new TypeReference<List<Object>>() {});
        } catch (RuntimeException e) {
            throw new InvalidSkillException(
                    where + "/" + TOOLS_FILE + ": not a JSON array of tools: " + e.getMessage());
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", front.get("name"));
        document.put("version", String.valueOf(front.getOrDefault("version", "1.0.0")));
        document.put("description", front.get("description"));
        document.put("instructions", body);
        document.put("tools", tools);
        document.put("application", front.get("application"));
        document.put("intentTypes", front.get("intent-types"));
        document.put("schemaVersion", SchemaVersions.CURRENT);

        List<Violation> violations = ContractValidator.get().validate(ContractType.SKILL, ContractJson.tree(document));
        if (!violations.isEmpty()) {
            Violation v = violations.getFirst();
            throw new InvalidSkillException(where + ": " + fieldName(v.pointer()) + ": " + v.message());
        }
        Skill skill = ContractJson.convert(ContractJson.tree(document), Skill.class);
        if (!skill.name().equals(folderName)) {
            throw new InvalidSkillException(where + "/" + SKILL_FILE + ": name '" + skill.name()
                    + "' must equal the folder name '" + folderName + "'");
        }
        for (ToolSpec tool : skill.tools()) {
            try {
                ContractValidator.get().compile(ContractJson.tree(tool.inputSchema()));
                if (tool.outputSchema() != null)
                    ContractValidator.get().compile(ContractJson.tree(tool.outputSchema()));
            } catch (IllegalArgumentException e) {
                throw new InvalidSkillException(
                        where + "/" + TOOLS_FILE + ": tool " + tool.name() + ": " + e.getMessage());
            }
        }
        return skill;
    }

    /**
     * The skills of the reference applications shipped in this jar ({@code skills/<name>/} on the classpath, listed
     * in {@code skills/index.txt}), in name order.
     */
    public static List<Skill> builtin() {
        String index = resource("skills/index.txt");
        if (index == null) return List.of();
        List<Skill> skills = new ArrayList<>();
        for (String name : index.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .sorted()
                .toList()) {
            String md = resource("skills/" + name + "/" + SKILL_FILE);
            if (md == null)
                throw new InvalidSkillException("classpath:skills/" + name + ": " + SKILL_FILE + " is missing");
            String tools = resource("skills/" + name + "/" + TOOLS_FILE);
            skills.add(parse(name, md, tools == null ? "[]" : tools, "classpath:skills/" + name));
        }
        return skills;
    }

    /** The text of {@code skills/applications.json} shipped in this jar: the reference applications. */
    public static String builtinApplications() {
        return resource("skills/applications.json");
    }

    private static String resource(String path) {
        try (var in = SkillFolders.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code skill} as a folder under {@code root} (for harnesses such as Pi); returns the folder. */
    public static Path write(Skill skill, Path root) {
        Path dir = root.resolve(skill.name());
        try {
            Files.createDirectories(dir);
            StringBuilder md = new StringBuilder("---\n");
            md.append("name: ").append(skill.name()).append('\n');
            md.append("description: ").append(yamlString(skill.description())).append('\n');
            md.append("version: ").append(skill.version()).append('\n');
            md.append("application: ").append(skill.application()).append('\n');
            md.append("intent-types: [")
                    .append(String.join(", ", skill.intentTypes()))
                    .append("]\n");
            md.append("---\n").append(skill.instructions()).append('\n');
            Files.writeString(dir.resolve(SKILL_FILE), md.toString(), StandardCharsets.UTF_8);
            Files.writeString(
                    dir.resolve(TOOLS_FILE),
                    ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(skill.tools()),
                    StandardCharsets.UTF_8);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write skill " + skill.name() + " to " + dir, e);
        }
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }

    private static String fieldName(String pointer) {
        return switch (pointer) {
            case "/intentTypes" -> "intent-types";
            case "" -> "skill";
            default ->
                pointer.startsWith("/tools")
                        ? TOOLS_FILE + " " + pointer.substring("/tools".length())
                        : pointer.substring(1);
        };
    }
}
