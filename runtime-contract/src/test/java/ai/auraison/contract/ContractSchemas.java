package ai.auraison.contract;

import com.fasterxml.classmate.ResolvedType;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerationContext;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Generates the committed JSON Schemas (draft 2020-12) from the Java types.
 *
 * <p>Typed ids become strings with their pattern; free-form maps become plain objects; sealed families become an
 * {@code if}/{@code then} chain on their discriminator, so that a validator reports the fields of the one kind the
 * document names instead of every kind's failures.
 */
final class ContractSchemas {

    /** The command that rewrites the committed schemas. */
    static final String REGENERATE_COMMAND =
            "./mvnw -pl runtime-contract test -Dtest=SchemaDriftTest -Dauraison.schemas.write=true";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final Map<Class<?>, String> STRING_IDS = Map.of(
            IntentId.class, IntentId.PATTERN,
            AgentId.class, AgentId.PATTERN,
            TenantId.class, TenantId.PATTERN,
            ToolCallId.class, ToolCallId.PATTERN);

    private ContractSchemas() {}

    static String generate(ContractType type) {
        var builder = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(
                        JacksonOption.RESPECT_JSONPROPERTY_REQUIRED,
                        JacksonOption.FLATTENED_ENUMS_FROM_JSONPROPERTY,
                        JacksonOption.SKIP_SUBTYPE_LOOKUP,
                        JacksonOption.IGNORE_TYPE_INFO_TRANSFORM))
                .with(new JakartaValidationModule(
                        JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.DEFINITIONS_FOR_ALL_OBJECTS)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        // primitives always appear on the wire (the codec writes them), so the schema requires them
        builder.forFields()
                .withRequiredCheck(field -> field.getType().getErasedType().isPrimitive());
        builder.forTypesInGeneral().withCustomDefinitionProvider(ContractSchemas::customDefinition);
        builder.forTypesInGeneral().withTypeAttributeOverride((node, scope, context) -> {
            Class<?> erased = scope.getType().getErasedType();
            addDiscriminator(node, erased);
            if (erased == Target.class) {
                ArrayNode oneOf = node.putArray("oneOf");
                oneOf.addObject().putArray("required").add("agent");
                oneOf.addObject().putArray("required").add("application");
            }
        });
        ObjectNode generated = new SchemaGenerator(builder.build()).generateSchema(type.javaType());

        ObjectNode schema = NODES.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", type.schemaId());
        schema.put("title", type.javaType().getSimpleName());
        schema.put(
                "description",
                "Auraison runtime contract v1: " + type.javaType().getSimpleName()
                        + ". Generated from ai.auraison.contract."
                        + type.javaType().getSimpleName()
                        + "; regenerate with: " + REGENERATE_COMMAND);
        schema.setAll(generated);
        return ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(schema) + "\n";
    }

    private static CustomDefinition customDefinition(ResolvedType type, SchemaGenerationContext context) {
        Class<?> erased = type.getErasedType();
        if (STRING_IDS.containsKey(erased)) {
            ObjectNode node = NODES.objectNode().put("type", "string").put("pattern", STRING_IDS.get(erased));
            return new CustomDefinition(node, true);
        }
        if (erased == RunId.class || erased == EventId.class) {
            return new CustomDefinition(NODES.objectNode().put("type", "string").put("format", "uuid"), true);
        }
        if (Map.class.isAssignableFrom(erased)) {
            ObjectNode node = NODES.objectNode().put("type", "object");
            ResolvedType valueType = type.getTypeParameters().size() == 2
                    ? type.getTypeParameters().get(1)
                    : null;
            if (valueType != null && valueType.getErasedType() == Long.class) {
                node.putObject("additionalProperties").put("type", "integer");
            }
            return new CustomDefinition(node, true);
        }
        if (erased.isSealed() && erased.isAnnotationPresent(JsonTypeInfo.class)) {
            return new CustomDefinition(
                    sealedFamily(erased, context),
                    CustomDefinition.DefinitionType.STANDARD,
                    CustomDefinition.AttributeInclusion.NO);
        }
        return null;
    }

    /** {@code {"type":"object","required":[prop],"properties":{prop:{"enum":[…]}},"allOf":[{"if":…,"then":$ref}…]}} */
    private static ObjectNode sealedFamily(Class<?> family, SchemaGenerationContext context) {
        String property = family.getAnnotation(JsonTypeInfo.class).property();
        JsonSubTypes.Type[] subtypes = family.getAnnotation(JsonSubTypes.class).value();
        ObjectNode node = NODES.objectNode().put("type", "object");
        node.putArray("required").add(property);
        ArrayNode names = node.putObject("properties")
                .putObject(property)
                .put("type", "string")
                .putArray("enum");
        ArrayNode allOf = node.putArray("allOf");
        for (JsonSubTypes.Type subtype : subtypes) {
            names.add(subtype.name());
            ObjectNode branch = allOf.addObject();
            ObjectNode condition = branch.putObject("if");
            condition.putArray("required").add(property);
            condition.putObject("properties").putObject(property).put("const", subtype.name());
            branch.set(
                    "then",
                    context.createDefinitionReference(context.getTypeContext().resolve(subtype.value())));
        }
        return node;
    }

    private static void addDiscriminator(ObjectNode node, Class<?> type) {
        for (Class<?> iface : type.getInterfaces()) {
            if (!iface.isSealed() || !iface.isAnnotationPresent(JsonTypeInfo.class)) continue;
            String property = iface.getAnnotation(JsonTypeInfo.class).property();
            for (JsonSubTypes.Type subtype :
                    iface.getAnnotation(JsonSubTypes.class).value()) {
                if (subtype.value() == type) {
                    ObjectNode properties =
                            node.has("properties") ? (ObjectNode) node.get("properties") : node.putObject("properties");
                    ObjectNode ordered = NODES.objectNode();
                    ordered.putObject(property).put("const", subtype.name());
                    ordered.setAll(properties);
                    node.set("properties", ordered);
                    ArrayNode required =
                            node.has("required") ? (ArrayNode) node.get("required") : node.putArray("required");
                    required.insert(0, property);
                }
            }
        }
    }

    /** Writes every schema into {@code dir}. */
    static void writeAll(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        for (ContractType type : ContractType.values()) {
            Files.writeString(dir.resolve(type.schemaFile()), generate(type));
        }
    }
}
