-- Governance state: tenants, principals and their API keys, quotas, the budget ledger and usage, policy sets,
-- approvals, the hash-chained audit log and the bundle signing key. One schema, migrated by ModuleSchemas.

CREATE TABLE tenants (
    tenant       text PRIMARY KEY,
    display_name text NOT NULL,
    created_by   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE principals (
    tenant     text NOT NULL REFERENCES tenants (tenant),
    principal  text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('operator', 'edge', 'application')),
    roles      text[] NOT NULL,
    disabled   boolean NOT NULL DEFAULT false,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, principal)
);

-- Only a SHA-256 of each key is stored (keys carry 256 random bits; ADR 0052). prefix is shown to identify a key.
CREATE TABLE api_keys (
    key_id     uuid PRIMARY KEY,
    tenant     text NOT NULL,
    principal  text NOT NULL,
    prefix     text NOT NULL,
    key_sha256 bytea NOT NULL UNIQUE,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    replaced_by uuid,
    FOREIGN KEY (tenant, principal) REFERENCES principals (tenant, principal)
);
CREATE INDEX api_keys_principal ON api_keys (tenant, principal);

-- Request-rate quotas; principal '' is the tenant-wide quota. Absent rows use the configured defaults.
CREATE TABLE quotas (
    tenant              text NOT NULL REFERENCES tenants (tenant),
    principal           text NOT NULL DEFAULT '',
    requests_per_second double precision NOT NULL CHECK (requests_per_second > 0),
    burst               integer NOT NULL CHECK (burst > 0),
    PRIMARY KEY (tenant, principal)
);

-- Budgets in tokens and/or US dollars over a period; scope tenant (key = tenant), project (key = an intent's
-- policyCtx.budgetRef) or agent (key = agent id).
CREATE TABLE budgets (
    budget_id           uuid PRIMARY KEY,
    tenant              text NOT NULL REFERENCES tenants (tenant),
    name                text NOT NULL,
    scope               text NOT NULL CHECK (scope IN ('tenant', 'project', 'agent')),
    scope_key           text NOT NULL,
    period              text NOT NULL CHECK (period IN ('day', 'month', 'total')),
    limit_tokens        bigint CHECK (limit_tokens >= 0),
    limit_usd           numeric(20, 6) CHECK (limit_usd >= 0),
    run_estimate_tokens bigint NOT NULL DEFAULT 0 CHECK (run_estimate_tokens >= 0),
    run_estimate_usd    numeric(20, 6) NOT NULL DEFAULT 0 CHECK (run_estimate_usd >= 0),
    created_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, name),
    CHECK (limit_tokens IS NOT NULL OR limit_usd IS NOT NULL)
);
CREATE INDEX budgets_scope ON budgets (tenant, scope, scope_key);

-- One row per budget and period: reserved (held for runs and calls in flight) and spent. Changed only by conditional
-- updates under the row lock, so spent + reserved never passes the limit whatever the concurrency.
CREATE TABLE budget_balances (
    budget_id       uuid NOT NULL REFERENCES budgets (budget_id),
    period_start    date NOT NULL,
    reserved_tokens bigint NOT NULL DEFAULT 0 CHECK (reserved_tokens >= 0),
    reserved_usd    numeric(20, 6) NOT NULL DEFAULT 0 CHECK (reserved_usd >= 0),
    spent_tokens    bigint NOT NULL DEFAULT 0,
    spent_usd       numeric(20, 6) NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_id, period_start)
);

-- What one pool (an intent's runs, or ad-hoc model calls) holds on each budget.
CREATE TABLE budget_pools (
    pool_key      text NOT NULL,
    budget_id     uuid NOT NULL REFERENCES budgets (budget_id),
    period_start  date NOT NULL,
    held_tokens   bigint NOT NULL DEFAULT 0 CHECK (held_tokens >= 0),
    held_usd      numeric(20, 6) NOT NULL DEFAULT 0 CHECK (held_usd >= 0),
    -- the part of held that no model call has drawn on yet (the admission estimate)
    unclaimed_tokens bigint NOT NULL DEFAULT 0 CHECK (unclaimed_tokens >= 0),
    unclaimed_usd    numeric(20, 6) NOT NULL DEFAULT 0 CHECK (unclaimed_usd >= 0),
    last_activity timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (pool_key, budget_id)
);
CREATE INDEX budget_pools_idle ON budget_pools (last_activity) WHERE held_usd > 0 OR held_tokens > 0;

-- The runs governance has seen (at admission or at a model call): their tenant and pool.
CREATE TABLE runs (
    run_id     uuid PRIMARY KEY,
    tenant     text NOT NULL,
    principal  text,
    budget_ref text,
    agent_id   text,
    pool_key   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The ledger: immutable entries, one per change of a balance.
CREATE TABLE ledger_entries (
    entry_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    budget_id    uuid NOT NULL REFERENCES budgets (budget_id),
    period_start date NOT NULL,
    pool_key     text NOT NULL,
    kind         text NOT NULL CHECK (kind IN ('reserve', 'settle', 'release')),
    tokens       bigint NOT NULL,
    usd          numeric(20, 6) NOT NULL,
    released_tokens bigint NOT NULL DEFAULT 0,
    released_usd numeric(20, 6) NOT NULL DEFAULT 0,
    ref          text,
    at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ledger_by_budget ON ledger_entries (budget_id, entry_id DESC);

-- Settlements seen, by their idempotency key (a ModelCallCompleted event id or the gateway's call id).
CREATE TABLE settlements (
    ref        text PRIMARY KEY,
    tenant     text NOT NULL,
    settled_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE usage_daily (
    tenant     text NOT NULL,
    model      text NOT NULL,
    day        date NOT NULL,
    tokens_in  bigint NOT NULL DEFAULT 0,
    tokens_out bigint NOT NULL DEFAULT 0,
    cost_usd   numeric(20, 6) NOT NULL DEFAULT 0,
    calls      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, day, model)
);

CREATE TABLE policy_sets (
    tenant     text NOT NULL REFERENCES tenants (tenant),
    name       text NOT NULL,
    version    integer NOT NULL,
    document   text NOT NULL,          -- the set in the JSON document format, as parsed and validated
    source     text NOT NULL,          -- the text as submitted (YAML or JSON)
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, name, version)
);

-- The active set of each tenant (at most one); generation increases on every change, so replicas notice.
CREATE TABLE policy_activations (
    tenant       text PRIMARY KEY REFERENCES tenants (tenant),
    name         text,
    version      integer,
    generation   bigint NOT NULL,
    activated_by text NOT NULL,
    activated_at timestamptz NOT NULL DEFAULT now()
);
CREATE SEQUENCE policy_generation;

CREATE TABLE approvals (
    approval_id     uuid PRIMARY KEY,
    tenant          text NOT NULL,
    subject_kind    text NOT NULL,
    subject_ref     text NOT NULL,
    subject         jsonb NOT NULL,
    rule            text NOT NULL,
    reason          text NOT NULL,
    requested_by    text,
    status          text NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    decided_by      text,
    decided_at      timestamptz,
    decision_reason text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant, subject_kind, subject_ref)
);
CREATE INDEX approvals_queue ON approvals (tenant, status, created_at);

-- The audit log: per tenant, a chain of records each holding the SHA-256 of its predecessor's hash and its own
-- content. details is text, not jsonb, so that the hashed bytes are exactly what is stored.
CREATE TABLE audit_heads (
    tenant    text PRIMARY KEY,
    last_seq  bigint NOT NULL,
    last_hash bytea NOT NULL
);

CREATE TABLE audit_records (
    tenant    text NOT NULL,
    seq       bigint NOT NULL,
    at        timestamptz NOT NULL,
    actor     text NOT NULL,
    category  text NOT NULL CHECK (category IN ('decision', 'admin')),
    action    text NOT NULL,
    subject   text NOT NULL,
    outcome   text NOT NULL,
    details   text NOT NULL,
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE INDEX audit_by_time ON audit_records (tenant, at DESC);

CREATE TABLE signing_keys (
    key_id      text PRIMARY KEY,
    public_key  bytea NOT NULL,
    private_key bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Ledger entries and audit records are append-only.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
