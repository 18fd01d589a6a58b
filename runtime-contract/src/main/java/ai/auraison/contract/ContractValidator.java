package ai.auraison.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Validates JSON documents against the committed contract schemas (JSON Schema draft 2020-12) and reports every
 * violation as a JSON pointer and a message. Also validates against arbitrary schemas, such as a tool's input
 * schema.
 *
 * <p>Thread-safe; schemas are compiled once.
 */
public final class ContractValidator {

    private static final String RESOURCE_DIR = "/ai/auraison/contract/schemas/";
    private static final ContractValidator DEFAULT = new ContractValidator();

    private final SchemaRegistry registry;
    private final Map<ContractType, Schema> schemas = new EnumMap<>(ContractType.class);
    private final Map<ContractType, Map<String, Schema>> kindSchemas = new EnumMap<>(ContractType.class);
    private final Schema metaSchema;

    private ContractValidator() {
        Map<String, String> documents = new java.util.HashMap<>();
        for (ContractType type : ContractType.values()) {
            documents.put(type.schemaId(), load(type.schemaFile()));
        }
        this.registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemas(documents::get));
        for (ContractType type : ContractType.values()) {
            Schema schema = registry.getSchema(SchemaLocation.of(type.schemaId()));
            schema.initializeValidators();
            schemas.put(type, schema);
            JsonNode kinds = ContractJson.tree(documents.get(type.schemaId())).at("/properties/kind/enum");
            if (kinds.isArray()) {
                Map<String, Schema> byKind = new java.util.HashMap<>();
                for (JsonNode k : kinds) {
                    Schema one = registry.getSchema(SchemaLocation.of(type.schemaId() + "#/$defs/" + k.asString()));
                    one.initializeValidators();
                    byKind.put(k.asString(), one);
                }
                kindSchemas.put(type, Map.copyOf(byKind));
            }
        }
        this.metaSchema = registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        metaSchema.initializeValidators();
    }

    /** The validator over the schemas shipped in this jar. */
    public static ContractValidator get() {
        return DEFAULT;
    }

    /** The committed schema document of {@code type}, as text. */
    public static String schemaText(ContractType type) {
        return load(type.schemaFile());
    }

    /** Every violation of {@code json} against the schema of {@code type}; empty when valid. */
    public List<Violation> validate(ContractType type, String json) {
        JsonNode node;
        try {
            node = ContractJson.tree(json);
        } catch (JacksonException e) {
            return List.of(new Violation("", "not well-formed JSON: " + e.getOriginalMessage()));
        }
        return validate(type, node);
    }

    /**
     * Every violation of {@code document} against the schema of {@code type}; empty when valid. A sealed family's
     * document that names a known kind is checked against that kind's schema alone (what the schema's if/then chain
     * means, without evaluating every branch).
     */
    public List<Violation> validate(ContractType type, JsonNode document) {
        Map<String, Schema> kinds = kindSchemas.get(type);
        if (kinds != null && document.isObject()) {
            JsonNode kind = document.get("kind");
            Schema one = kind != null && kind.isString() ? kinds.get(kind.asString()) : null;
            if (one != null) return toViolations(one.validate(document));
        }
        return toViolations(schemas.get(type).validate(document));
    }

    /**
     * Every violation of {@code document} against {@code schema}, a JSON Schema given as a tree (draft 2020-12
     * unless it names another {@code $schema}). Compiles the schema on each call; cache the result of
     * {@link #compile} for hot paths.
     */
    public List<Violation> validate(JsonNode schema, JsonNode document) {
        return compile(schema).validate(document);
    }

    /**
     * Compiles {@code schema} for repeated use. Throws {@link IllegalArgumentException} when it is not a valid
     * draft 2020-12 schema, naming the first offending keyword.
     */
    public CompiledSchema compile(JsonNode schema) {
        List<Violation> problems = toViolations(metaSchema.validate(schema));
        if (!problems.isEmpty()) {
            Violation first = problems.getFirst();
            throw new IllegalArgumentException(
                    "not a valid JSON Schema at '" + first.pointer() + "': " + first.message());
        }
        try {
            Schema compiled = registry.getSchema(schema);
            compiled.initializeValidators();
            return document -> toViolations(compiled.validate(document));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a usable JSON Schema: " + e.getMessage(), e);
        }
    }

    /** A schema ready to validate documents; thread-safe. */
    @FunctionalInterface
    public interface CompiledSchema {
        List<Violation> validate(JsonNode document);
    }

    private static List<Violation> toViolations(List<Error> errors) {
        List<Violation> out = new ArrayList<>(errors.size());
        for (Error e : errors) {
            String pointer = pointer(e.getInstanceLocation());
            if ("required".equals(e.getKeyword()) && e.getProperty() != null) {
                pointer = pointer + "/" + escape(e.getProperty());
            }
            out.add(new Violation(pointer, e.getMessage()));
        }
        out.sort(Comparator.comparing(Violation::pointer));
        return List.copyOf(out);
    }

    private static String pointer(NodePath path) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            sb.append('/').append(escape(String.valueOf(path.getElement(i))));
        }
        return sb.toString();
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String load(String file) {
        try (InputStream in = ContractValidator.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IllegalStateException("schema " + file + " is missing from the runtime-contract jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
