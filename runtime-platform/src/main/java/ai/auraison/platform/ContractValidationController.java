package ai.auraison.platform;

import ai.auraison.contract.ContractType;
import ai.auraison.contract.ContractValidator;
import ai.auraison.contract.Violation;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Validates documents against the contract schemas, and serves the schemas themselves. */
@RestController
@RequestMapping("/api/v1/contract")
@Tag(name = "contract", description = "The runtime contract: its JSON Schemas and a validator")
class ContractValidationController {

    @PostMapping(path = "/validate/{type}", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(
            summary = "Validate a document against a contract schema",
            description =
                    "200 {\"valid\":true}, or a 400 problem whose errors array lists every violation as {pointer, message}")
    Map<String, Object> validate(
            @Parameter(description = "intent, skill, tool-call, run-state, agent-event or projection-event")
                    @PathVariable
                    String type,
            @RequestBody JsonNode document) {
        ContractType contractType = typeOf(type);
        List<Violation> violations = ContractValidator.get().validate(contractType, document);
        if (!violations.isEmpty()) {
            throw new ContractViolationException(contractType, violations);
        }
        return Map.of("valid", true);
    }

    @GetMapping(
            path = "/schemas/{type}",
            produces = {"application/schema+json", MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "The JSON Schema (draft 2020-12) of a contract type")
    ResponseEntity<String> schema(@PathVariable String type) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(ContractValidator.schemaText(typeOf(type)));
    }

    private static ContractType typeOf(String slug) {
        return ContractType.bySlug(slug)
                .orElseThrow(() -> ProblemException.notFound("contract-type", slug)
                        .with(
                                "known",
                                Arrays.stream(ContractType.values())
                                        .map(ContractType::slug)
                                        .toList()));
    }
}
