package ai.auraison.orchestration.internal;

import ai.auraison.contract.Skill;
import ai.auraison.contract.SkillFolders;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Applications and skills: what the fleet can do. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "registry", description = "Applications and their skills")
class RegistryController {

    record ApplicationView(String name, String description, List<String> skills, long agents) {}

    record SkillView(
            String name,
            String version,
            String application,
            String description,
            List<String> intentTypes,
            List<String> tools,
            String source) {}

    private final SkillCatalog catalog;
    private final AgentRegistry agents;

    RegistryController(SkillCatalog catalog, AgentRegistry agents) {
        this.catalog = catalog;
        this.agents = agents;
    }

    @GetMapping("/applications")
    @Operation(summary = "List applications", description = "Sorted by name; cursor pagination")
    Cursors.Page<ApplicationView> applications(
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        String after = Cursors.decode(cursor);
        List<ApplicationView> all = catalog.applications().stream()
                .filter(a -> after == null || a.name().compareTo(after) > 0)
                .map(this::view)
                .toList();
        return Cursors.page(all, n, ApplicationView::name);
    }

    @GetMapping("/applications/{name}")
    @Operation(summary = "Get an application with its skills and number of agents")
    ApplicationView application(@PathVariable String name) {
        return catalog.application(name)
                .map(this::view)
                .orElseThrow(() -> ProblemException.notFound("application", name));
    }

    @GetMapping("/skills")
    @Operation(summary = "List skills", description = "Filter by application; sorted by name; cursor pagination")
    Cursors.Page<SkillView> skills(
            @RequestParam(required = false) String application,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 50, 500);
        String after = Cursors.decode(cursor);
        List<SkillView> all = catalog.skills().stream()
                .filter(e -> application == null || e.skill().application().equals(application))
                .filter(e -> after == null || e.skill().name().compareTo(after) > 0)
                .map(RegistryController::view)
                .toList();
        return Cursors.page(all, n, SkillView::name);
    }

    @GetMapping("/skills/{name}")
    @Operation(summary = "Get a skill: instructions and tool specs, as in skill.schema.json")
    Skill skill(@PathVariable String name) {
        return catalog.skill(name)
                .map(SkillCatalog.Entry::skill)
                .orElseThrow(() -> ProblemException.notFound("skill", name));
    }

    @PostMapping("/skills:reload")
    @Operation(
            summary = "Re-read the skill folders",
            description =
                    "Loads the operator folder (auraison.orchestration.skills-dir) again; a malformed skill is a 422 "
                            + "naming the file and field, and then nothing changes")
    Map<String, Object> reload() {
        try {
            var loaded = catalog.reload();
            return Map.of(
                    "skills", loaded.size(), "folder", catalog.operatorDir().toString());
        } catch (SkillFolders.InvalidSkillException e) {
            throw ProblemException.unprocessable("invalid-skill", e.getMessage());
        }
    }

    private ApplicationView view(SkillCatalog.Application a) {
        List<String> skills = catalog.skills().stream()
                .filter(e -> e.skill().application().equals(a.name()))
                .map(e -> e.skill().name())
                .toList();
        return new ApplicationView(
                a.name(),
                a.description(),
                skills,
                agents.ofApplication(a.name(), null).stream()
                        .filter(agent -> AgentRegistry.visibleIn(agent, Caller.currentTenant()))
                        .count());
    }

    private static SkillView view(SkillCatalog.Entry e) {
        Skill s = e.skill();
        return new SkillView(
                s.name(),
                s.version(),
                s.application(),
                s.description(),
                s.intentTypes(),
                s.tools().stream().map(t -> t.name()).toList(),
                e.source());
    }
}
