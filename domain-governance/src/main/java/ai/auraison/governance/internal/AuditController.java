package ai.auraison.governance.internal;

import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's tenant's audit log and its verification. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "audit", description = "The append-only, hash-chained audit log of decisions and administrative changes")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping("/audit")
    @Operation(
            summary = "List audit records",
            description =
                    "Newest first. Filters: category (decision, admin), action, actor, from, to (ISO-8601); cursor "
                            + "pagination. Each record carries its hash and its predecessor's.")
    Cursors.Page<AuditLog.Stored> list(
            @RequestParam(required = false) String category,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 100, 1000);
        Long beforeSeq = Cursors.decodeLong(cursor);
        audit.flush();
        var rows = audit.list(
                Pages.caller().tenant().value(),
                category,
                action,
                actor,
                instant("from", from),
                instant("to", to),
                beforeSeq,
                n + 1);
        return Cursors.page(rows, n, r -> Long.toString(r.seq()));
    }

    @GetMapping("/audit:verify")
    @Operation(
            summary = "Verify the audit chain",
            description =
                    "Recomputes every record's hash from its content and its predecessor's hash; reports how many "
                            + "verified and the first broken link (an altered, missing or reordered record), or none")
    AuditLog.Verification verify() {
        audit.flush();
        return audit.verify(Pages.caller().tenant().value());
    }

    private static Instant instant(String name, String value) {
        if (value == null) return null;
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter(name, name + " is an ISO-8601 instant: " + value);
        }
    }
}
