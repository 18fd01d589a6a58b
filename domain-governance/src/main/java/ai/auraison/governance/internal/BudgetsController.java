package ai.auraison.governance.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.platform.Caller;
import ai.auraison.platform.Cursors;
import ai.auraison.platform.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Budgets, their ledger, and usage and billing exports. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "budgets", description = "Token and money budgets per tenant, project and agent; the ledger; usage exports")
class BudgetsController {

    record CreateBudget(
            @NotBlank String name,
            @NotBlank String scope,
            String scopeKey,
            @NotBlank String period,
            Long limitTokens,
            BigDecimal limitUsd,
            Long runEstimateTokens,
            BigDecimal runEstimateUsd) {}

    record UpdateBudget(Long limitTokens, BigDecimal limitUsd, Long runEstimateTokens, BigDecimal runEstimateUsd) {}

    private final JdbcBudgetLedger ledger;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock = Clock.systemUTC();

    BudgetsController(JdbcBudgetLedger ledger, AuditLog audit, PlatformTransactionManager txm) {
        this.ledger = ledger;
        this.audit = audit;
        this.tx = new TransactionTemplate(txm);
    }

    @PostMapping("/budgets")
    @Operation(
            summary = "Create a budget",
            description =
                    "scope tenant (the caller's tenant), project (scopeKey = the budgetRef intents name) or agent "
                            + "(scopeKey = agent id); period day, month or total; limitTokens and/or limitUsd; runEstimate* are "
                            + "reserved at admission for every run charged to it. 409 when the name exists.")
    ResponseEntity<JdbcBudgetLedger.BudgetView> create(@Valid @RequestBody CreateBudget b) {
        Caller c = Pages.caller();
        var view = tx.execute(status -> {
            ledger.create(
                    c.tenant().value(),
                    b.name(),
                    b.scope(),
                    b.scopeKey(),
                    b.period(),
                    b.limitTokens(),
                    b.limitUsd(),
                    b.runEstimateTokens(),
                    b.runEstimateUsd());
            record(c, "budget.create", b.name(), b);
            return ledger.view(c.tenant().value(), b.name());
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(view);
    }

    @PutMapping("/budgets/{name}")
    @Operation(summary = "Change a budget's limits or run estimates", description = "Absent fields keep their value")
    JdbcBudgetLedger.BudgetView update(@PathVariable String name, @RequestBody UpdateBudget b) {
        Caller c = Pages.caller();
        return tx.execute(status -> {
            ledger.update(
                    c.tenant().value(), name, b.limitTokens(), b.limitUsd(), b.runEstimateTokens(), b.runEstimateUsd());
            record(c, "budget.update", name, b);
            return ledger.view(c.tenant().value(), name);
        });
    }

    @GetMapping("/budgets")
    @Operation(
            summary = "List the caller's tenant's budgets",
            description = "With the current period's reserved and spent amounts")
    List<JdbcBudgetLedger.BudgetView> list() {
        return ledger.views(Pages.caller().tenant().value());
    }

    @GetMapping("/budgets/{name}")
    @Operation(summary = "Get a budget with its current period's balance")
    JdbcBudgetLedger.BudgetView get(@PathVariable String name) {
        return ledger.view(Pages.caller().tenant().value(), name);
    }

    @GetMapping("/budgets/{name}/ledger")
    @Operation(
            summary = "A budget's ledger entries",
            description =
                    "Newest first; reserve, settle (amount charged, amount released) and release entries; cursor pagination")
    Cursors.Page<JdbcBudgetLedger.Entry> entries(
            @PathVariable String name,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor) {
        int n = Cursors.limit(limit, 100, 1000);
        Long beforeId = Cursors.decodeLong(cursor);
        var rows = ledger.ledger(Pages.caller().tenant().value(), name, beforeId, n + 1);
        return Cursors.page(rows, n, e -> Long.toString(e.entryId()));
    }

    @GetMapping(
            path = "/usage",
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    @Operation(
            summary = "Usage and billing of the caller's tenant",
            description =
                    "Per day and model: tokens in and out, cost in USD, calls. from/to are dates (UTC, inclusive; "
                            + "default the current month); format=csv or Accept: text/csv for CSV, JSON otherwise")
    ResponseEntity<?> usage(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String format,
            @RequestHeader(name = "Accept", required = false) String accept) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate start = date("from", from, today.withDayOfMonth(1));
        LocalDate end = date("to", to, today);
        String tenant = Pages.caller().tenant().value();
        List<JdbcBudgetLedger.Usage> rows = ledger.usage(tenant, start, end, model);
        boolean csv = "csv".equalsIgnoreCase(format)
                || (format == null && accept != null && accept.contains("text/csv") && !accept.contains("json"));
        if (format != null && !List.of("csv", "json").contains(format.toLowerCase(java.util.Locale.ROOT))) {
            throw ProblemException.badParameter("format", "format is csv or json, was " + format);
        }
        if (csv) {
            StringBuilder out = new StringBuilder("tenant,day,model,tokens_in,tokens_out,cost_usd,calls\n");
            for (var u : rows) {
                out.append(u.tenant())
                        .append(',')
                        .append(u.day())
                        .append(',')
                        .append(csvField(u.model()))
                        .append(',')
                        .append(u.tokensIn())
                        .append(',')
                        .append(u.tokensOut())
                        .append(',')
                        .append(u.costUsd().toPlainString())
                        .append(',')
                        .append(u.calls())
                        .append('\n');
            }
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                    .header(
                            "Content-Disposition",
                            "attachment; filename=\"usage-" + tenant + "-" + start + "-" + end + ".csv\"")
                    .body(out.toString());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("from", start);
        body.put("to", end);
        body.put("items", rows);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static LocalDate date(String name, String value, LocalDate fallback) {
        if (value == null) return fallback;
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badParameter(name, name + " is a date (YYYY-MM-DD): " + value);
        }
    }

    private void record(Caller c, String action, String subject, Object details) {
        audit.appendNow(new AuditLog.Entry(
                c.tenant().value(),
                clock.instant(),
                Pages.actor(c),
                AuditLog.ADMIN,
                action,
                subject,
                "ok",
                ContractJson.write(details)));
    }
}
