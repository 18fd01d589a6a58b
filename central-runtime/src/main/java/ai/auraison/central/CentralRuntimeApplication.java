package ai.auraison.central;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The central runtime: the single durable coordinator of the fleet. With no configuration it keeps its state in an
 * embedded PostgreSQL under {@code auraison.data-dir} ({@code ./data/central}); with {@code spring.datasource.*} set
 * it uses that PostgreSQL instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CentralRuntimeApplication {

    public static void main(String[] args) {
        SpringApplication.run(CentralRuntimeApplication.class, args);
    }
}
