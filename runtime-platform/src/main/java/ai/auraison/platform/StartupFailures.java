package ai.auraison.platform;

import java.io.PrintStream;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Start-up failures reported on one line: {@code auraison: cannot start: <what>. <what to do>}. Boot's own analysers
 * (port in use, …) and ours feed the reporter; Boot's multi-line report is switched off in {@code application.yml}
 * of each app ({@code logging.level.org.springframework.boot.diagnostics=off}).
 */
final class StartupFailures {

    private StartupFailures() {}

    /** Prints every analysed start-up failure as one line on standard error. */
    static final class OneLineReporter implements FailureAnalysisReporter {

        private final PrintStream out;

        OneLineReporter() {
            this(System.err);
        }

        OneLineReporter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void report(FailureAnalysis analysis) {
            out.println(line(analysis));
            out.flush();
        }

        static String line(FailureAnalysis analysis) {
            String what = flatten(analysis.getDescription());
            String action = flatten(analysis.getAction());
            return "auraison: cannot start: " + what + (action.isEmpty() ? "" : " " + action);
        }

        private static String flatten(String text) {
            return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
        }
    }

    /** Explains an unwritable data directory. */
    static final class DataDirectoryAnalyzer
            extends AbstractFailureAnalyzer<DataDirectory.DataDirectoryNotWritableException> {
        @Override
        protected FailureAnalysis analyze(Throwable root, DataDirectory.DataDirectoryNotWritableException cause) {
            return new FailureAnalysis(
                    "the data directory " + cause.path() + " is not writable ("
                            + cause.getCause().getMessage() + ").",
                    "Make it writable for this user or choose another with --auraison.data-dir=<dir>.",
                    cause);
        }
    }
}
