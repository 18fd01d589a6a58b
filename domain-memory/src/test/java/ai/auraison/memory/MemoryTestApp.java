package ai.auraison.memory;

import ai.auraison.memory.spi.EventLogSource;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** Memory in a minimal Boot app on a test database, tailing the test log table (in the central runtime: run_events). */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MemoryTestApp {

    @Bean
    EventLogSource testEventLog(DataSource dataSource) {
        return new PostgresEventLog(dataSource);
    }
}
