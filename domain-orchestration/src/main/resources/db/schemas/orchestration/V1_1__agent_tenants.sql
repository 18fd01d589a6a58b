-- The tenant an agent belongs to: the tenant of the principal that registered it (ADR 0051). Null for agents
-- registered in an app that authenticates no one; those serve every tenant.
ALTER TABLE agents ADD COLUMN tenant text;
CREATE INDEX agents_tenant ON agents (tenant, agent_id);
