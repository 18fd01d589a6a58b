package ai.auraison.contract;

/**
 * The wire versions of the contract types.
 *
 * <p>Every top-level type carries a {@code schemaVersion} of the form {@code MAJOR.MINOR}. Within one major
 * version changes are additive only: a minor version may add optional fields, new {@link AgentEvent} or
 * {@link ProjectionEvent} kinds and new enum values, never remove, rename or retype a field or make an optional
 * field required. Readers therefore ignore fields they do not know and accept any minor version of their major
 * version; a document of another major version is refused. See {@code docs/adr/0002-contract-first-schemas.md}.
 */
public final class SchemaVersions {

    /** The version this code writes. */
    public static final String CURRENT = "1.0";

    /** The pattern every accepted {@code schemaVersion} matches: major version 1, any minor version. */
    public static final String ACCEPTED_PATTERN = "^1\\.[0-9]{1,4}$";

    private SchemaVersions() {}

    /** Whether a reader of {@link #CURRENT} accepts a document written at {@code version}. */
    public static boolean accepts(String version) {
        return version != null && version.matches(ACCEPTED_PATTERN);
    }
}
