package ai.auraison.governance;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

@AnalyzeClasses(packages = "ai.auraison.governance")
class ArchitectureTest {

    @ArchTest
    static final ArchTests shared = ArchTests.in(ai.auraison.testfixtures.ArchitectureRules.class);
}
