package ai.auraison.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A position in a harness session tree: the harness session id and, optionally, one entry of it. With Pi this is
 * the session id (a UUIDv7) and an 8-hex-digit entry id, which is unique only within its session.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TreeRef(
        @NotNull @Size(min = 1, max = 128) String sessionId,
        @Size(min = 1, max = 128) String entryId) {

    public TreeRef {
        if (sessionId == null || sessionId.isBlank())
            throw new IllegalArgumentException("treeRef.sessionId is required");
    }

    /** The same session, at another entry. */
    public TreeRef at(String entry) {
        return new TreeRef(sessionId, entry);
    }
}
