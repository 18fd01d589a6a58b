package ai.auraison.testfixtures;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

/**
 * Runs the shared rules over the fixtures and over the runtime contract: the contract cannot depend on this module
 * (the fixtures build contract values), so its rules are checked from here.
 */
@AnalyzeClasses(packages = {"ai.auraison.testfixtures", "ai.auraison.contract"})
class ArchitectureTest {

    @ArchTest
    static final ArchTests shared = ArchTests.in(ArchitectureRules.class);
}
