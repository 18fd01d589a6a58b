package ai.auraison.central;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the central runtime app, under {@code auraison.central}.
 *
 * @param embeddedPostgres the embedded PostgreSQL used when no {@code spring.datasource.url} is set
 */
@Validated
@ConfigurationProperties("auraison.central")
public record CentralProperties(@DefaultValue EmbeddedPostgres embeddedPostgres) {

    /**
     * @param port the loopback port of the embedded server; 0 picks a free one at every start
     */
    public record EmbeddedPostgres(
            @DefaultValue("0") @Min(0) @Max(65535) int port) {}
}
