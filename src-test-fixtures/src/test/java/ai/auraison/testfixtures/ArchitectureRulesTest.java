package ai.auraison.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/** The shared rules catch what they claim to catch. */
class ArchitectureRulesTest {

    private final JavaClasses bad = new ClassFileImporter().importPackages("ai.auraison.archexamples");

    private static boolean fails(ArchRule rule, JavaClasses classes) {
        return rule.evaluate(classes).hasViolation();
    }

    @Test
    void catchesGrabBagPackagesVagueNamesAndMutableStatics() {
        assertThat(fails(ArchitectureRules.noGrabBagPackages, bad)).isTrue();
        assertThat(fails(ArchitectureRules.noVagueTypeNames, bad)).isTrue();
        assertThat(fails(ArchitectureRules.constantsAreFinal, bad)).isTrue();
    }

    @Test
    void catchesSleepingAndSilentlySkippedTests() {
        assertThat(fails(ArchitectureRules.testsAwaitInsteadOfSleeping, bad)).isTrue();
        assertThat(fails(ArchitectureRules.skippedTestsNameAnIssue, bad)).isTrue();
    }

    @Test
    void passesCleanCode() {
        JavaClasses clean = new ClassFileImporter().importPackages("ai.auraison.contract");
        assertThat(fails(ArchitectureRules.noVagueTypeNames, clean)).isFalse();
        assertThat(fails(ArchitectureRules.contractIsPlainJava, clean)).isFalse();
    }
}
