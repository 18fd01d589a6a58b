package ai.auraison.platform;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Checks that {@code server.port} is free before anything starts (the embedded PostgreSQL takes seconds), so a taken
 * port ends start-up at once with Boot's port-in-use analysis, reported on one line.
 */
class PortPreflight implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (!env.containsProperty("server.port") && env.getProperty("spring.main.web-application-type") != null) return;
        int port = env.getProperty("server.port", Integer.class, 8080);
        if (port <= 0) return;
        String address = env.getProperty("server.address");
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            InetAddress bind = address == null || address.isBlank() ? null : InetAddress.getByName(address);
            probe.bind(bind == null ? new InetSocketAddress(port) : new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new PortInUseException(port, e);
        }
    }
}
