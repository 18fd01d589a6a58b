package ai.auraison.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresFixtureIT {

    @Test
    void givesEachCallerAnEmptyDatabaseOfItsOwnOnOneServer() throws SQLException {
        TestDatabase a = PostgresFixture.newDatabase();
        TestDatabase b = PostgresFixture.newDatabase();
        assertThat(a.name()).startsWith("postgresfixtureit_").isNotEqualTo(b.name());
        try (Connection c = a.connect();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id int primary key)");
            st.execute("INSERT INTO t VALUES (1)");
        }
        try (Connection c = b.connect();
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM t")).hasMessageContaining("does not exist");
        }
        try (Connection c = a.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, count(*) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }
        assertThat(a.jdbcUrl()).contains(":" + PostgresFixture.port() + "/");
    }

    @Test
    void dropsADatabaseWithOpenConnections() throws SQLException {
        TestDatabase db = PostgresFixture.newDatabase();
        Connection open = db.connect();
        PostgresFixture.drop(db);
        assertThatThrownBy(db::connect).isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
        open.close();
    }
}
