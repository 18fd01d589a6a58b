package ai.auraison.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Golden JSON samples pin the wire format: each one validates against its committed schema and survives a round
 * trip through the Java types unchanged. Every kind of every sealed family must have a sample.
 */
class GoldenSamplesContractTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    static Stream<Arguments> samples() throws IOException {
        return Arrays.stream(ContractType.values()).flatMap(type -> {
            try (Stream<Path> files = Files.list(GOLDEN.resolve(type.slug()))) {
                return files
                        .sorted()
                        .map(f -> Arguments.of(type, f.getFileName().toString()))
                        .toList()
                        .stream();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void sampleValidatesAgainstItsSchema(ContractType type, String file) throws IOException {
        String json = Files.readString(GOLDEN.resolve(type.slug()).resolve(file));
        assertThat(ContractValidator.get().validate(type, json)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("samples")
    void sampleRoundTripsUnchanged(ContractType type, String file) throws IOException {
        String json = Files.readString(GOLDEN.resolve(type.slug()).resolve(file));
        Object value = ContractJson.read(json, type.javaType());
        assertThat(value).isInstanceOf(type.javaType());
        JsonNode written = ContractJson.tree(ContractJson.write(value));
        assertThat(written).isEqualTo(ContractJson.tree(json));
        assertThat(ContractJson.read(ContractJson.write(value), type.javaType()))
                .isEqualTo(value);
    }

    @ParameterizedTest
    @EnumSource(ContractType.class)
    void everyTypeHasAGoldenSample(ContractType type) throws IOException {
        try (Stream<Path> files = Files.list(GOLDEN.resolve(type.slug()))) {
            assertThat(files.count()).as("golden samples of %s", type.slug()).isPositive();
        }
    }

    @Test
    void everyAgentEventKindHasAGoldenSample() {
        assertEveryKindHasASample(AgentEvent.class, ContractType.AGENT_EVENT);
    }

    @Test
    void everyProjectionEventKindHasAGoldenSample() {
        assertEveryKindHasASample(ProjectionEvent.class, ContractType.PROJECTION_EVENT);
    }

    private static void assertEveryKindHasASample(Class<?> family, ContractType type) {
        List<String> missing = Arrays.stream(family.getPermittedSubclasses())
                .map(Class::getSimpleName)
                .filter(kind -> !Files.exists(GOLDEN.resolve(type.slug()).resolve(kind + ".json")))
                .toList();
        assertThat(missing)
                .as("%s kinds without a golden sample under %s/", family.getSimpleName(), GOLDEN.resolve(type.slug()))
                .isEmpty();
    }
}
