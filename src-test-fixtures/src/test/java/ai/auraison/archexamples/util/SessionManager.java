package ai.auraison.archexamples.util;

/** Deliberately breaks two naming rules; analysed only by ArchitectureRulesTest. */
public class SessionManager {
    public static int counter;
}
