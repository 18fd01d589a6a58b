package ai.auraison.central.internal;

import ai.auraison.contract.ContractJson;
import ai.auraison.memory.ProjectorLifecycle;
import ai.auraison.memory.spi.Checkpoint;
import ai.auraison.memory.spi.EventLogSource;
import ai.auraison.memory.spi.LoggedEvent;
import ai.auraison.orchestration.EventLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Composes memory with orchestration: the memory projector tails orchestration's event log of record. Also the
 * command-line rebuild: {@code java -jar central-runtime.jar memory:rebuild --spring.main.web-application-type=none}
 * rebuilds the projection from the log and exits (with the app otherwise stopped; a running app rebuilds with
 * {@code POST /api/v1/memory:rebuild}).
 */
@Configuration(proxyBeanMethods = false)
class MemoryWiring {

    private static final Logger log = LoggerFactory.getLogger(MemoryWiring.class);

    static final String REBUILD_COMMAND = "memory:rebuild";

    @Bean
    EventLogSource memoryEventLog(EventLog eventLog) {
        return (after, max) -> eventLog.readAfter(after.txId(), after.position(), max).stream()
                .map(e -> new LoggedEvent(
                        new Checkpoint(e.txId(), e.position()),
                        e.tenant(),
                        e.eventId(),
                        e.runId(),
                        e.seq(),
                        e.kind(),
                        e.ts(),
                        e.body()))
                .toList();
    }

    @Bean
    ApplicationRunner memoryRebuildCommand(ProjectorLifecycle projector, ApplicationContext context) {
        return args -> {
            if (!args.getNonOptionArgs().contains(REBUILD_COMMAND)) return;
            var rebuilt = projector
                    .projector()
                    .orElseThrow(() -> new IllegalStateException("memory projection is switched off"))
                    .rebuild();
            log.info(
                    "memory rebuilt: {} events up to position {} in {} ms",
                    rebuilt.events(),
                    rebuilt.toPosition(),
                    rebuilt.durationMs());
            System.out.println(ContractJson.write(rebuilt));
            SpringApplication.exit(context, () -> 0);
        };
    }
}
