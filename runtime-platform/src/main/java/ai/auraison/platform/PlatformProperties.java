package ai.auraison.platform;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings every Auraison app shares, under {@code auraison}.
 *
 * @param dataDir where the app keeps its state (embedded PostgreSQL, DuckDB files, Pi folders); created if missing
 * @param http limits on incoming HTTP requests
 */
@Validated
@ConfigurationProperties("auraison")
public record PlatformProperties(
        @NotNull Path dataDir, @NotNull @DefaultValue Http http) {

    /** @param maxRequestBody the largest request body accepted; bigger bodies get a 413 problem */
    public record Http(@NotNull @DefaultValue("1MB") DataSize maxRequestBody) {}
}
