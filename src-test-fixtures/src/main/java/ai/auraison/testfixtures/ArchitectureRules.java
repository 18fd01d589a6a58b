package ai.auraison.testfixtures;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The architecture rules of STYLE.md, each with its reason. Every module runs them from its
 * {@code ArchitectureTest}:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "ai.auraison.orchestration")
 * class ArchitectureTest {
 *     @ArchTest
 *     static final ArchTests shared = ArchTests.in(ArchitectureRules.class);
 * }
 * }</pre>
 */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    private static final String[] MODULE_ROOTS = {
        "ai.auraison.orchestration",
        "ai.auraison.governance",
        "ai.auraison.memory",
        "ai.auraison.execution",
        "ai.auraison.zenoh",
        "ai.auraison.pddl",
        "ai.auraison.ros",
        "ai.auraison.vllm",
        "ai.auraison.central",
        "ai.auraison.edge",
        "ai.auraison.contract"
    };

    @ArchTest
    static final ArchRule noGrabBagPackages = noClasses()
            .should()
            .resideInAnyPackage("..util..", "..utils..", "..common..", "..helper..", "..helpers..", "..impl..")
            .because("a package says what its classes are for; grab-bag packages hide design (STYLE.md: Packages)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noVagueTypeNames = noClasses()
            .should()
            .haveSimpleNameEndingWith("Manager")
            .orShould()
            .haveSimpleNameEndingWith("Helper")
            .orShould()
            .haveSimpleNameEndingWith("Util")
            .orShould()
            .haveSimpleNameEndingWith("Utils")
            .orShould()
            .haveSimpleNameEndingWith("Impl")
            .because("types are named for the capability or technology they provide (STYLE.md: Names)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule internalsStayInsideTheirModule = classes()
            .should(notReachIntoAnotherModulesInternals())
            .because("a module's API is its root package and .spi; .internal is private to the module (STYLE.md)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule domainModelIsFrameworkFree = noClasses()
            .that()
            .resideInAPackage("..internal.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..", "jakarta.persistence..", "tools.jackson..", "com.fasterxml.jackson..")
            .because("domain logic is plain Java so it can be tested without a framework (STYLE.md: Packages)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule contractIsPlainJava = noClasses()
            .that()
            .resideInAPackage("ai.auraison.contract..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "jakarta.persistence..", "org.hibernate..", "org.duckdb..")
            .because(
                    "the runtime contract is the ontology every module speaks; it depends on no framework (DESIGN.md §2)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule contractDependsOnNoModule = noClasses()
            .that()
            .resideInAPackage("ai.auraison.contract..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(otherThan("ai.auraison.contract"))
            .because("the contract depends on nothing internal (DESIGN.md §3)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule domainsDoNotDependOnEachOther = classes()
            .should(notDependOnAnotherDomain())
            .because("a domain→domain edge needs an ADR (DESIGN.md §3); domains meet through the contract")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noFieldInjection = noFields()
            .that()
            .areDeclaredInClassesThat()
            .haveSimpleNameNotEndingWith("Test")
            .and()
            .areDeclaredInClassesThat()
            .haveSimpleNameNotEndingWith("IT")
            .should()
            .beAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
            .because("constructor injection keeps dependencies explicit and objects testable without Spring")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noJavaUtilLogging = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("java.util.logging..")
            .because("logging goes through SLF4J so one configuration governs it")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule skippedTestsNameAnIssue = classes()
            .should(notHaveTestsDisabledWithoutAnIssueNumber())
            .because("a skipped test names the issue that will bring it back (STYLE.md: Tests)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule testsAwaitInsteadOfSleeping = noClasses()
            .that()
            .haveSimpleNameEndingWith("Test")
            .or()
            .haveSimpleNameEndingWith("IT")
            .should()
            .callMethod(Thread.class, "sleep", long.class)
            .because("tests wait on conditions with Awaitility, not on the clock (STYLE.md: Tests)")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule constantsAreFinal = fields().that()
            .areStatic()
            .and()
            .arePublic()
            .should()
            .beFinal()
            .because("public mutable statics are global state")
            .allowEmptyShould(true);

    private static String[] otherThan(String root) {
        return java.util.Arrays.stream(MODULE_ROOTS)
                .filter(r -> !r.equals(root))
                .map(r -> r + "..")
                .toArray(String[]::new);
    }

    private static String moduleOf(String packageName) {
        for (String root : MODULE_ROOTS) {
            if (packageName.equals(root) || packageName.startsWith(root + ".")) return root;
        }
        return null;
    }

    private static ArchCondition<JavaClass> notReachIntoAnotherModulesInternals() {
        return new ArchCondition<>("not access another module's .internal packages") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String own = moduleOf(item.getPackageName());
                item.getDirectDependenciesFromSelf().forEach(d -> {
                    String target = d.getTargetClass().getPackageName();
                    String targetModule = moduleOf(target);
                    if (targetModule != null && !targetModule.equals(own) && target.contains(".internal")) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                });
            }
        };
    }

    private static ArchCondition<JavaClass> notDependOnAnotherDomain() {
        java.util.Set<String> domains = java.util.Set.of(
                "ai.auraison.orchestration", "ai.auraison.governance", "ai.auraison.memory", "ai.auraison.execution");
        return new ArchCondition<>("not depend on another domain module") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String own = moduleOf(item.getPackageName());
                if (own == null || !domains.contains(own)) return;
                item.getDirectDependenciesFromSelf().forEach(d -> {
                    String target = moduleOf(d.getTargetClass().getPackageName());
                    if (target != null && !target.equals(own) && domains.contains(target)) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                });
            }
        };
    }

    private static ArchCondition<JavaClass> notHaveTestsDisabledWithoutAnIssueNumber() {
        return new ArchCondition<>("not be or contain tests @Disabled without an issue number (#N) in the reason") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                if (disabledWithoutIssue(item.tryGetAnnotationOfType(DISABLED))) {
                    events.add(SimpleConditionEvent.violated(
                            item, item.getName() + " is @Disabled without an issue number"));
                }
                for (JavaMethod method : item.getMethods()) {
                    if (disabledWithoutIssue(method.tryGetAnnotationOfType(DISABLED))) {
                        events.add(SimpleConditionEvent.violated(
                                method, method.getFullName() + " is @Disabled without an issue number"));
                    }
                }
            }
        };
    }

    private static final String DISABLED = "org.junit.jupiter.api.Disabled";

    private static boolean disabledWithoutIssue(
            java.util.Optional<? extends com.tngtech.archunit.core.domain.JavaAnnotation<?>> a) {
        return a.isPresent() && !String.valueOf(a.get().get("value").orElse("")).matches(".*#[0-9]+.*");
    }
}
