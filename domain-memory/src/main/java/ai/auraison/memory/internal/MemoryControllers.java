package ai.auraison.memory.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The memory API's controllers, for {@link ai.auraison.memory.MemoryApi} and {@link MemoryConfiguration}. */
@Configuration(proxyBeanMethods = false)
@Import(MemoryController.class)
public class MemoryControllers {}
