package ai.auraison.edge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The edge runtime: runs the domain agents of one application host next to the robots, and keeps working when the
 * central runtime is unreachable. With no configuration it keeps its state under {@code auraison.data-dir}
 * ({@code ./data/edge}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EdgeAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(EdgeAgentApplication.class, args);
    }
}
