package ai.auraison.orchestration.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.contract.Skill;
import ai.auraison.contract.SkillFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * The applications and skills the fleet knows: the built-in ones shipped in the jar ({@code skills/} on the
 * classpath) and an operator folder read at start-up and on reload, where an operator skill overrides a built-in
 * one of the same name. Kept in memory and mirrored to {@code orchestration.skills} / {@code applications}.
 */
final class SkillCatalog {

    private static final Logger log = LoggerFactory.getLogger(SkillCatalog.class);

    record Application(String name, String description) {}

    record Entry(Skill skill, String source) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Path operatorDir;
    private volatile Map<String, Entry> skills = Map.of();
    private volatile Map<String, Application> applications = Map.of();

    SkillCatalog(JdbcClient jdbc, TransactionTemplate tx, Path operatorDir) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.operatorDir = operatorDir;
        reload();
    }

    Path operatorDir() {
        return operatorDir;
    }

    /** Re-reads every skill; throws {@link SkillFolders.InvalidSkillException} and changes nothing if one is bad. */
    synchronized Map<String, Entry> reload() {
        Map<String, Application> apps = new LinkedHashMap<>();
        readApplications(SkillFolders.builtinApplications()).forEach(a -> apps.put(a.name(), a));
        Path opApps = operatorDir.resolve("applications.json");
        if (Files.exists(opApps)) {
            try {
                readApplications(Files.readString(opApps)).forEach(a -> apps.put(a.name(), a));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Entry> loaded = new LinkedHashMap<>();
        for (Skill s : SkillFolders.builtin()) loaded.put(s.name(), new Entry(s, "builtin"));
        for (Skill s : SkillFolders.readAll(operatorDir))
            loaded.put(s.name(), new Entry(s, operatorDir.resolve(s.name()).toString()));
        for (Entry e : loaded.values()) {
            if (!apps.containsKey(e.skill().application())) {
                throw new SkillFolders.InvalidSkillException(e.source() + ": application '"
                        + e.skill().application() + "' is not declared in an applications.json");
            }
        }
        tx.executeWithoutResult(status -> {
            for (Application a : apps.values()) {
                jdbc.sql("INSERT INTO orchestration.applications (name, description) VALUES (?, ?) "
                                + "ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description")
                        .params(a.name(), a.description())
                        .update();
            }
            for (Entry e : loaded.values()) {
                jdbc.sql("INSERT INTO orchestration.skills (name, version, application, source, document) "
                                + "VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, "
                                + "application = EXCLUDED.application, source = EXCLUDED.source, document = EXCLUDED.document, "
                                + "loaded_at = now()")
                        .params(
                                e.skill().name(),
                                e.skill().version(),
                                e.skill().application(),
                                e.source(),
                                ContractJson.write(e.skill()))
                        .update();
            }
        });
        this.applications = Map.copyOf(apps);
        this.skills = Map.copyOf(loaded);
        log.info(
                "skill catalogue: {} applications, {} skills ({} from {})",
                apps.size(),
                loaded.size(),
                loaded.values().stream()
                        .filter(e -> !e.source().equals("builtin"))
                        .count(),
                operatorDir);
        return skills;
    }

    Optional<Entry> skill(String name) {
        return Optional.ofNullable(skills.get(name));
    }

    List<Entry> skills() {
        return skills.values().stream()
                .sorted(Comparator.comparing(e -> e.skill().name()))
                .toList();
    }

    Optional<Application> application(String name) {
        return Optional.ofNullable(applications.get(name));
    }

    List<Application> applications() {
        return applications.values().stream()
                .sorted(Comparator.comparing(Application::name))
                .toList();
    }

    /** Whether any of {@code skillNames} offers intents of {@code type}. */
    boolean offers(List<String> skillNames, String type) {
        for (String name : skillNames) {
            Entry e = skills.get(name);
            if (e != null && e.skill().offers(type)) return true;
        }
        return false;
    }

    private static List<Application> readApplications(String json) {
        if (json == null) return List.of();
        List<Map<String, String>> rows =
                ContractJson.mapper().readValue(json, new TypeReference<List<Map<String, String>>>() {});
        return rows.stream()
                .map(r -> new Application(r.get("name"), r.getOrDefault("description", "")))
                .toList();
    }
}
