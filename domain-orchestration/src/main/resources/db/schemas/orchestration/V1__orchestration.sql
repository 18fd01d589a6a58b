-- Orchestration state: the registry (applications, skills, agents), intents, runs, the event log of record and
-- the per-agent work queues. One schema, migrated by ModuleSchemas (runtime-platform).

CREATE TABLE applications (
    name        text PRIMARY KEY,
    description text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE skills (
    name        text PRIMARY KEY,
    version     text NOT NULL,
    application text NOT NULL REFERENCES applications (name),
    source      text NOT NULL,           -- 'builtin' or the folder it was loaded from
    document    jsonb NOT NULL,          -- the Skill as in skill.schema.json
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
    agent_id          text PRIMARY KEY,
    application       text NOT NULL REFERENCES applications (name),
    edge_node         text NOT NULL,
    skills            text[] NOT NULL,
    capacity          integer NOT NULL CHECK (capacity > 0),
    labels            jsonb NOT NULL DEFAULT '{}'::jsonb,
    draining          boolean NOT NULL DEFAULT false,
    registered_at     timestamptz NOT NULL DEFAULT now(),
    last_heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_application ON agents (application, agent_id);

CREATE TABLE intents (
    intent_id   text PRIMARY KEY,
    tenant      text NOT NULL,
    principal   text NOT NULL,
    type        text NOT NULL,
    body        jsonb NOT NULL,
    body_sha256 bytea NOT NULL,
    run_id      uuid NOT NULL,
    agent_id    text,
    http_status integer NOT NULL,       -- the answer given at admission, replayed for an identical resubmission
    answer      jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX intents_listing ON intents (created_at DESC, intent_id DESC);
CREATE INDEX intents_tenant ON intents (tenant, created_at DESC);

CREATE TABLE runs (
    run_id     uuid PRIMARY KEY,
    intent_id  text NOT NULL,
    tenant     text NOT NULL,
    agent_id   text,
    origin     text NOT NULL CHECK (origin IN ('central', 'edge')),
    status     text NOT NULL,
    last_seq   bigint NOT NULL,
    state      jsonb NOT NULL,          -- the RunState as in run-state.schema.json
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX runs_listing ON runs (created_at DESC, run_id DESC);
CREATE INDEX runs_intent ON runs (intent_id);
CREATE INDEX runs_agent_status ON runs (agent_id, status);

-- The event log of record: append-only. position orders the whole log; tx_id lets a tailer read only what
-- every earlier transaction has committed (see domain-memory).
CREATE TABLE run_events (
    position    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,
    run_id      uuid NOT NULL REFERENCES runs (run_id),
    seq         bigint NOT NULL,
    kind        text NOT NULL,
    ts          timestamptz NOT NULL,
    body        jsonb NOT NULL,
    tx_id       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (run_id, seq)
);
CREATE INDEX run_events_tx ON run_events (tx_id, position);

CREATE TABLE work_items (
    run_id           uuid PRIMARY KEY REFERENCES runs (run_id),
    agent_id         text NOT NULL,
    tenant           text NOT NULL,
    priority         integer NOT NULL,
    deadline         timestamptz,
    status           text NOT NULL CHECK (status IN ('ready', 'leased', 'done', 'dead', 'expired', 'cancelled')),
    attempt          integer NOT NULL DEFAULT 0,
    max_attempts     integer NOT NULL,
    not_before       timestamptz NOT NULL DEFAULT now(),
    lease_id         uuid,
    lease_expires_at timestamptz,
    acked            boolean NOT NULL DEFAULT false,
    last_failure     jsonb,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_ready ON work_items (agent_id, tenant, priority DESC, deadline, enqueued_at) WHERE status = 'ready';
CREATE INDEX work_leased ON work_items (lease_expires_at) WHERE status = 'leased';
CREATE INDEX work_deadline ON work_items (deadline) WHERE status = 'ready' AND deadline IS NOT NULL;
CREATE INDEX work_recent ON work_items (agent_id, updated_at DESC) WHERE status <> 'ready';
CREATE INDEX work_open ON work_items (agent_id, tenant) WHERE status IN ('ready', 'leased');
