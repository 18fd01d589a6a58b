-- The principal that submitted a work item's intent, so that admission can count queued and running work per
-- principal (ADR 0058) without a join. Null only for items queued before this migration and already finished.
ALTER TABLE work_items ADD COLUMN principal text;
UPDATE work_items w SET principal = i.principal
  FROM intents i
 WHERE i.run_id = w.run_id AND w.status IN ('ready', 'leased');
-- the grouped counts of open work (backpressure and quotas) come from this index alone
DROP INDEX work_open;
CREATE INDEX work_open ON work_items (agent_id, tenant, principal, status) WHERE status IN ('ready', 'leased');
