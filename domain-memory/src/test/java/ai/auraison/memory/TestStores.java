package ai.auraison.memory;

import ai.auraison.testfixtures.Peers;
import ai.auraison.testfixtures.TestDatabase;
import java.nio.file.Path;

/**
 * Store settings for tests: a DuckDB file, a DuckLake with a local catalog (data in a folder or in an S3 bucket), a
 * DuckLake with its catalog in PostgreSQL. Local catalogs and data folders are in folders that do not exist yet (the
 * store creates them).
 */
final class TestStores {

    static final String ENGINE = "v1.5.5";

    private TestStores() {}

    /** The project-local extension folder of bin/setup-peers; fails or skips (see {@link Peers}) when it is missing. */
    static Path extensions() {
        Path dir = Peers.home().resolve("duckdb-extensions");
        Peers.require(
                MemoryStore.extension(dir, ENGINE, "linux_amd64", "ducklake"),
                "the DuckDB " + ENGINE + " ducklake extension");
        return dir;
    }

    static MemoryStore.Settings embedded(Path dir) {
        return new MemoryStore.Settings(
                MemoryStore.Mode.DUCKDB, dir.resolve("memory.duckdb"), null, null, dir.resolve("tmp"), "1GB");
    }

    static MemoryStore.Settings localLake(Path dir) {
        return new MemoryStore.Settings(
                MemoryStore.Mode.DUCKLAKE,
                null,
                new MemoryStore.Lake(
                        dir.resolve("catalog").resolve("catalog.ducklake").toString(),
                        null,
                        dir.resolve("lake") + "/",
                        null),
                extensions(),
                dir.resolve("tmp"),
                "1GB");
    }

    /** A DuckLake with a local catalog and its Parquet data in {@code bucket} of an S3-compatible server. */
    static MemoryStore.Settings s3Lake(Path dir, S3Peer s3, String bucket) {
        return new MemoryStore.Settings(
                MemoryStore.Mode.DUCKLAKE,
                null,
                new MemoryStore.Lake(
                        dir.resolve("catalog").resolve("catalog.ducklake").toString(),
                        null,
                        "s3://" + bucket + "/lake/",
                        s3.store()),
                extensions(),
                dir.resolve("tmp"),
                "1GB");
    }

    static MemoryStore.Settings postgresLake(TestDatabase db, Path dir) {
        return new MemoryStore.Settings(
                MemoryStore.Mode.DUCKLAKE,
                null,
                MemoryStore.Lake.postgres(
                        db.jdbcUrl(), db.username(), db.password(), "memory_lake", dir.resolve("lake") + "/", null),
                extensions(),
                dir.resolve("tmp"),
                "1GB");
    }
}
