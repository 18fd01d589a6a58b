package ai.auraison.archexamples;

import org.junit.jupiter.api.Disabled;

/** Deliberately sleeps and skips without an issue; analysed only by ArchitectureRulesTest, never run. */
@Disabled("flaky")
public class SleepyIT {
    void waits() throws InterruptedException {
        Thread.sleep(10);
    }
}
