package ai.auraison.platform;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;

/** The shared infrastructure, switched on by having this module on the classpath. */
@AutoConfiguration
@EnableConfigurationProperties(PlatformProperties.class)
@Import({ProblemAdvice.class, ProblemErrorController.class, ContractValidationController.class})
public class PlatformAutoConfiguration {

    @Bean
    DataDirectory dataDirectory(PlatformProperties properties) {
        return new DataDirectory(properties.dataDir());
    }

    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(PlatformProperties properties) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(properties.http().maxRequestBody().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    @ConditionalOnClass(name = "org.flywaydb.core.Flyway")
    static ModuleSchemas moduleSchemas() {
        return new ModuleSchemas();
    }
}
