package ai.auraison.governance.internal;

import ai.auraison.platform.Caller;
import ai.auraison.platform.ProblemException;
import org.springframework.http.HttpStatus;

/** The caller, as the governance controllers use it (pages: {@link ai.auraison.platform.Cursors}). */
final class Pages {

    private Pages() {}

    /** The authenticated caller; governance's filter guarantees one on every endpoint it serves. */
    static Caller caller() {
        return Caller.current()
                .orElseThrow(() -> new ProblemException(
                        HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", "this endpoint needs an API key"));
    }

    /** How the caller appears in audit records: {@code tenant/principal}. */
    static String actor(Caller c) {
        return c.tenant().value() + "/" + c.principal();
    }
}
