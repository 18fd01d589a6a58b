package ai.auraison.testfixtures;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgreSQL in a Docker container, for machines with a Docker engine that ask for it. */
final class TestcontainersServer implements PostgresFixture.Server {

    private final org.testcontainers.postgresql.PostgreSQLContainer container;

    private TestcontainersServer(org.testcontainers.postgresql.PostgreSQLContainer container) {
        this.container = container;
    }

    static TestcontainersServer start() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(
                    "auraison.test.postgres=testcontainers needs testcontainers-postgresql on the" + " test classpath");
        }
        if (!org.testcontainers.DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("auraison.test.postgres=testcontainers was asked for, but no Docker engine"
                    + " answers; unset it to use the embedded PostgreSQL");
        }
        var container = new org.testcontainers.postgresql.PostgreSQLContainer("postgres:17-alpine")
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=500");
        container.start();
        return new TestcontainersServer(container);
    }

    @Override
    public DataSource admin() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(jdbcUrl("postgres"));
        ds.setUser(username());
        ds.setPassword(password());
        return ds;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + database;
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public int port() {
        return container.getMappedPort(5432);
    }
}
