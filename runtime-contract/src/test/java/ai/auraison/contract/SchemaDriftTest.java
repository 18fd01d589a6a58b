package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The committed schemas under {@code runtime-contract/schemas/} must be exactly what the Java types generate. Run
 * with {@code -Dauraison.schemas.write=true} to rewrite them (see {@link ContractSchemas#REGENERATE_COMMAND}).
 */
class SchemaDriftTest {

    private static final Path COMMITTED = Path.of("schemas");

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void committedSchemaMatchesTheJavaTypes(ContractType type) throws IOException {
        String generated = ContractSchemas.generate(type);
        Path file = COMMITTED.resolve(type.schemaFile());
        if (Boolean.getBoolean("auraison.schemas.write")) {
            Files.createDirectories(COMMITTED);
            Files.writeString(file, generated);
        }
        assertThat(file).as("committed schema %s", file).exists();
        assertThat(Files.readString(file))
                .as(
                        "runtime-contract/%s differs from what %s generates. If the change is intended (and additive within"
                                + " major version 1), regenerate the schemas from the repository root with:%n  %s%n",
                        file, type.javaType().getName(), ContractSchemas.REGENERATE_COMMAND)
                .isEqualTo(generated);
    }
}
