package ai.auraison.zenoh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void readsTheKeysOfAZenohJson5Configuration() throws ZError {
        Config config = Config.fromJson5("""
                // a robot's edge configuration
                {
                  mode: 'client',
                  id: "1a2b3c",
                  connect: {
                    endpoints: ["tcp/10.0.0.5:7447", "tcp/[::1]:7448",],
                    timeout_ms: -1,
                    retry: { period_init_ms: 100, period_max_ms: 8000, period_increase_factor: 1.5 },
                  },
                  /* zenoh keys this client ignores */
                  scouting: { multicast: { enabled: false } },
                  queries_default_timeout: 2500,
                  transport: {
                    unicast: { qos: { enabled: false } },
                    link: { tx: { lease: 5000, keep_alive: 5 }, rx: { max_message_size: 0x4000000 } },
                  },
                }
                """);
        assertThat(config.mode()).isEqualTo("client");
        assertThat(config.id()).isEqualTo("1a2b3c");
        assertThat(config.connectEndpoints()).containsExactly("tcp/10.0.0.5:7447", "tcp/[::1]:7448");
        assertThat(config.connectTimeout()).isNegative();
        assertThat(config.retryInitial()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.retryMax()).isEqualTo(Duration.ofMillis(8000));
        assertThat(config.retryFactor()).isEqualTo(1.5);
        assertThat(config.queryTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.qos()).isFalse();
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.keepAliveDivisor()).isEqualTo(5);
        assertThat(config.maxMessageSize()).isEqualTo(64L << 20);
    }

    @Test
    void defaultsToAClientOfTheLocalRouter() {
        Config config = Config.defaults();
        assertThat(config.mode()).isEqualTo("client");
        assertThat(config.connectEndpoints()).containsExactly("tcp/localhost:7447");
        assertThat(config.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.qos()).isTrue();
    }

    @Test
    void insertJson5ReplacesOneKeyInACopy() throws ZError {
        Config base = Config.client("tcp/127.0.0.1:7447");
        Config changed = base.insertJson5("connect/endpoints", "['tcp/127.0.0.1:9000']");
        assertThat(changed.connectEndpoints()).containsExactly("tcp/127.0.0.1:9000");
        assertThat(base.connectEndpoints()).containsExactly("tcp/127.0.0.1:7447");
    }

    @Test
    void rejectsWhatThisClientCannotDo() {
        assertThatThrownBy(() -> Config.fromJson5("{mode: 'router'}")).isInstanceOf(ZError.class);
        assertThatThrownBy(() -> Config.fromJson5("{listen: {endpoints: ['tcp/0.0.0.0:7447']}}"))
                .isInstanceOf(ZError.class)
                .hasMessageContaining("listen");
        assertThatThrownBy(() -> Config.fromJson5("{connect: {endpoints: ['udp/1.2.3.4:7447']}}"))
                .isInstanceOf(ZError.class)
                .hasMessageContaining("udp");
        assertThatThrownBy(() -> Config.fromJson5("{transport: {link: {tx: {lease: 'soon'}}}}"))
                .isInstanceOf(ZError.class);
        assertThatThrownBy(() -> Config.fromJson5("{mode: 'client'")).isInstanceOf(ZError.class);
    }
}
