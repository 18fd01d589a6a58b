package ai.auraison.memory;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the memory projection, under {@code auraison.memory}.
 *
 * @param mode {@code auto} (DuckLake when the ducklake extension is in the extension directory, else a DuckDB file),
 *     {@code duckdb} or {@code ducklake}
 * @param file the DuckDB file; defaults to {@code <data-dir>/memory/memory.duckdb}
 * @param extensionDirectory where DuckDB extensions are loaded from (never downloaded); defaults to
 *     {@code <data-dir>/duckdb-extensions}; {@code bin/setup-peers} fills {@code .peers/duckdb-extensions}
 * @param memoryLimit DuckDB's memory limit
 * @param lake the DuckLake, for mode {@code ducklake} (or {@code auto} with the extension present)
 * @param projector the projector's batching and polling
 * @param sql limits of {@code POST /api/v1/memory/sql}
 */
@Validated
@ConfigurationProperties("auraison.memory")
public record MemoryProperties(
        @DefaultValue("auto") MemoryStore.Mode mode,
        Path file,
        Path extensionDirectory,
        @DefaultValue("1GB") String memoryLimit,
        @DefaultValue @Valid Lake lake,
        @DefaultValue @Valid ProjectorSettings projector,
        @DefaultValue @Valid Sql sql) {

    /**
     * The DuckLake.
     *
     * @param catalog {@code local} (a DuckDB catalog file {@code <data-dir>/memory/lake.ducklake}), {@code postgres}
     *     (the app's own PostgreSQL database, in {@code metadataSchema}), or {@code postgres:<libpq connection string>}
     * @param metadataSchema the PostgreSQL schema of the catalog's tables
     * @param dataPath where the Parquet files go: a folder, or {@code s3://bucket/prefix/}; defaults to
     *     {@code <data-dir>/memory/lake/}
     * @param s3 the S3-compatible bucket's endpoint and credentials, for an {@code s3://} data path
     */
    public record Lake(
            @DefaultValue("local") String catalog,
            @DefaultValue("memory_lake") String metadataSchema,
            String dataPath,
            @DefaultValue S3 s3) {}

    /**
     * An S3-compatible bucket (RustFS, MinIO, R2).
     *
     * @param endpoint host:port without scheme; empty for AWS
     * @param region the region
     * @param accessKeyId the access key id (no default)
     * @param secretAccessKey the secret key (no default)
     * @param useSsl whether to use HTTPS
     * @param pathStyle whether to address the bucket in the path (RustFS, MinIO)
     */
    public record S3(
            String endpoint,
            @DefaultValue("us-east-1") String region,
            String accessKeyId,
            String secretAccessKey,
            @DefaultValue("true") boolean useSsl,
            @DefaultValue("true") boolean pathStyle) {}

    /**
     * The projector.
     *
     * @param enabled whether this replica projects at all (it still serves queries)
     * @param batchSize the most events per batch
     * @param rebuildBatchSize the most events per read during a rebuild
     * @param pollInterval how often to look at the log when caught up, and for the leadership when another leads
     */
    public record ProjectorSettings(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5000") @Min(1) @Max(100000) int batchSize,
            @DefaultValue("50000") @Min(1) @Max(1000000) int rebuildBatchSize,
            @DefaultValue("200ms") Duration pollInterval) {}

    /**
     * Operator SQL.
     *
     * @param timeout a statement running longer is cancelled
     * @param maxRows the most rows a statement returns
     */
    public record Sql(
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("10000") @Min(1) @Max(1000000) int maxRows) {}
}
