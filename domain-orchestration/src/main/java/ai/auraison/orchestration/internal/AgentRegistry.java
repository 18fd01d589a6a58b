package ai.auraison.orchestration.internal;

import ai.auraison.contract.AgentId;
import ai.auraison.contract.ContractJson;
import ai.auraison.platform.ProblemException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;

/**
 * The agents of the fleet: registration, heartbeats, draining, and health derived from the last heartbeat. Keeps
 * a snapshot in memory for admission, refreshed on every local change and by the reaper (other replicas' changes
 * show within a reaper interval; a cache miss reads PostgreSQL).
 */
final class AgentRegistry {

    enum Health {
        HEALTHY,
        UNHEALTHY,
        DRAINING;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    record Agent(
            String agentId,
            String application,
            String edgeNode,
            List<String> skills,
            int capacity,
            Map<String, String> labels,
            boolean draining,
            Instant registeredAt,
            Instant lastHeartbeatAt,
            String tenant) {

        Health health(Instant now, Duration timeout) {
            if (draining) return Health.DRAINING;
            return lastHeartbeatAt.plus(timeout).isAfter(now) ? Health.HEALTHY : Health.UNHEALTHY;
        }
    }

    record Registration(
            String agentId,
            String application,
            String edgeNode,
            List<String> skills,
            int capacity,
            Map<String, String> labels,
            String tenant) {}

    private static final String COLUMNS =
            "agent_id, application, edge_node, skills, capacity, labels, draining, registered_at, last_heartbeat_at, tenant";

    private final JdbcClient jdbc;
    private final SkillCatalog catalog;
    private final Duration heartbeatTimeout;
    private final Clock clock;
    private final Map<String, Agent> snapshot = new ConcurrentHashMap<>();

    AgentRegistry(JdbcClient jdbc, SkillCatalog catalog, Duration heartbeatTimeout, Clock clock) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.heartbeatTimeout = heartbeatTimeout;
        this.clock = clock;
        refresh();
    }

    Health health(Agent agent) {
        return agent.health(clock.instant(), heartbeatTimeout);
    }

    /**
     * Whether {@code agent} takes work of {@code tenant}: an agent belongs to the tenant that registered it; one
     * registered without authentication (no tenant) serves every tenant.
     */
    static boolean serves(Agent agent, String tenant) {
        return agent.tenant() == null || agent.tenant().equals(tenant);
    }

    /** Whether {@code agent} is visible to a caller scoped to {@code scope} (empty: no authentication, all are). */
    static boolean visibleIn(Agent agent, Optional<String> scope) {
        return scope.isEmpty() || scope.get().equals(agent.tenant());
    }

    /**
     * Registers or re-registers an agent (re-registration clears draining). Returns it and whether it is new. An
     * agent id registered by another tenant is a 409; an agent without a tenant is claimed by the first tenant that
     * re-registers it.
     */
    Map.Entry<Agent, Boolean> register(Registration r) {
        AgentId.of(r.agentId());
        if (catalog.application(r.application()).isEmpty()) {
            throw ProblemException.unprocessable("unknown-application", "no application " + r.application())
                    .with("field", "application");
        }
        if (r.skills() == null || r.skills().isEmpty()) {
            throw ProblemException.unprocessable("no-skills", "an agent needs at least one skill")
                    .with("field", "skills");
        }
        for (String skill : r.skills()) {
            var entry = catalog.skill(skill)
                    .orElseThrow(() -> ProblemException.unprocessable("unknown-skill", "no skill " + skill)
                            .with("field", "skills"));
            if (!entry.skill().application().equals(r.application())) {
                throw ProblemException.unprocessable(
                                "skill-of-another-application",
                                "skill " + skill + " belongs to "
                                        + entry.skill().application() + ", not " + r.application())
                        .with("field", "skills");
            }
        }
        Boolean inserted = jdbc.sql(
                        "INSERT INTO orchestration.agents (agent_id, application, edge_node, skills, capacity, labels, tenant) "
                                + "VALUES (?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT (agent_id) DO UPDATE SET application = EXCLUDED.application, "
                                + "edge_node = EXCLUDED.edge_node, skills = EXCLUDED.skills, capacity = EXCLUDED.capacity, "
                                + "labels = EXCLUDED.labels, draining = false, last_heartbeat_at = now(), "
                                + "tenant = COALESCE(EXCLUDED.tenant, agents.tenant) "
                                + "WHERE EXCLUDED.tenant IS NULL OR agents.tenant IS NULL OR agents.tenant = EXCLUDED.tenant "
                                + "RETURNING (xmax = 0)")
                .params(
                        r.agentId(),
                        r.application(),
                        r.edgeNode(),
                        r.skills().toArray(String[]::new),
                        r.capacity(),
                        ContractJson.write(r.labels() == null ? Map.of() : r.labels()),
                        r.tenant())
                .query(Boolean.class)
                .optional()
                .orElseThrow(() -> ProblemException.conflict(
                                "agent-id-taken", "the agent id " + r.agentId() + " is registered by another tenant")
                        .with("field", "agentId"));
        Agent agent = load(r.agentId()).orElseThrow();
        return Map.entry(agent, inserted);
    }

    /** Records a heartbeat; 404 for an unknown agent. */
    Agent heartbeat(String agentId) {
        int n = jdbc.sql("UPDATE orchestration.agents SET last_heartbeat_at = now() WHERE agent_id = ?")
                .param(agentId)
                .update();
        if (n == 0) throw ProblemException.notFound("agent", agentId);
        return load(agentId).orElseThrow();
    }

    Agent setDraining(String agentId, boolean draining) {
        int n = jdbc.sql("UPDATE orchestration.agents SET draining = ? WHERE agent_id = ?")
                .params(draining, agentId)
                .update();
        if (n == 0) throw ProblemException.notFound("agent", agentId);
        return load(agentId).orElseThrow();
    }

    /** The agent from the snapshot, or from PostgreSQL on a miss. */
    Optional<Agent> find(String agentId) {
        Agent a = snapshot.get(agentId);
        return a != null ? Optional.of(a) : load(agentId);
    }

    /** The agent as stored, when visible in {@code scope}; otherwise 404, as if it did not exist. */
    Agent get(String agentId, Optional<String> scope) {
        return load(agentId)
                .filter(a -> visibleIn(a, scope))
                .orElseThrow(() -> ProblemException.notFound("agent", agentId));
    }

    /**
     * 404 unless the agent (from the snapshot, or PostgreSQL) is visible to a caller scoped to {@code scope}; checks
     * nothing without a scope (no authentication), where the operation itself reports an unknown agent.
     */
    void checkVisible(String agentId, Optional<String> scope) {
        if (scope.isEmpty()) return;
        if (find(agentId).filter(a -> visibleIn(a, scope)).isEmpty()) throw ProblemException.notFound("agent", agentId);
    }

    /** Agents of an application in the snapshot, optionally on one edge node. */
    List<Agent> ofApplication(String application, String edgeNode) {
        List<Agent> out = new ArrayList<>();
        for (Agent a : snapshot.values()) {
            if (a.application().equals(application) && (edgeNode == null || edgeNode.equals(a.edgeNode()))) out.add(a);
        }
        out.sort(Comparator.comparing(Agent::agentId));
        return out;
    }

    List<Agent> list(
            String application, String edgeNode, String status, String after, int limit, Optional<String> scope) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM orchestration.agents WHERE true");
        List<Object> params = new ArrayList<>();
        if (scope.isPresent()) {
            sql.append(" AND tenant = ?");
            params.add(scope.get());
        }
        if (application != null) {
            sql.append(" AND application = ?");
            params.add(application);
        }
        if (edgeNode != null) {
            sql.append(" AND edge_node = ?");
            params.add(edgeNode);
        }
        if (status != null) {
            switch (status) {
                case "draining" -> sql.append(" AND draining");
                case "healthy" -> {
                    sql.append(" AND NOT draining AND last_heartbeat_at > now() - ?::interval");
                    params.add(heartbeatTimeout.toMillis() + " milliseconds");
                }
                case "unhealthy" -> {
                    sql.append(" AND NOT draining AND last_heartbeat_at <= now() - ?::interval");
                    params.add(heartbeatTimeout.toMillis() + " milliseconds");
                }
                default ->
                    throw ProblemException.badParameter(
                            "status", "status must be healthy, unhealthy or draining, was " + status);
            }
        }
        if (after != null) {
            sql.append(" AND agent_id > ?");
            params.add(after);
        }
        sql.append(" ORDER BY agent_id LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(AgentRegistry::map).list();
    }

    /** Re-reads every agent into the snapshot. */
    void refresh() {
        List<Agent> all = jdbc.sql("SELECT " + COLUMNS + " FROM orchestration.agents")
                .query(AgentRegistry::map)
                .list();
        Map<String, Agent> fresh = new ConcurrentHashMap<>();
        all.forEach(a -> fresh.put(a.agentId(), a));
        snapshot.keySet().retainAll(fresh.keySet());
        snapshot.putAll(fresh);
    }

    private Optional<Agent> load(String agentId) {
        Optional<Agent> a = jdbc.sql("SELECT " + COLUMNS + " FROM orchestration.agents WHERE agent_id = ?")
                .param(agentId)
                .query(AgentRegistry::map)
                .optional();
        a.ifPresent(agent -> snapshot.put(agent.agentId(), agent));
        return a;
    }

    private static Agent map(ResultSet rs, int row) throws SQLException {
        Array skills = rs.getArray("skills");
        return new Agent(
                rs.getString("agent_id"),
                rs.getString("application"),
                rs.getString("edge_node"),
                List.of((String[]) skills.getArray()),
                rs.getInt("capacity"),
                ContractJson.mapper().readValue(rs.getString("labels"), new TypeReference<Map<String, String>>() {}),
                rs.getBoolean("draining"),
                rs.getTimestamp("registered_at").toInstant(),
                rs.getTimestamp("last_heartbeat_at").toInstant(),
                rs.getString("tenant"));
    }
}
