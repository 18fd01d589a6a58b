package ai.auraison.memory;

import ai.auraison.testfixtures.ArchitectureRules;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;

@AnalyzeClasses(packages = "ai.auraison.memory")
class ArchitectureTest {

    @ArchTest
    static final ArchTests shared = ArchTests.in(ArchitectureRules.class);
}
