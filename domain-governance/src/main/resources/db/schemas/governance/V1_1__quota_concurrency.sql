-- Queued-intent and concurrent-run quotas beside the request rate (ADR 0058). A null column uses the configured
-- default, so a row may set only some quotas; 0 is unlimited.
ALTER TABLE quotas ALTER COLUMN requests_per_second DROP NOT NULL;
ALTER TABLE quotas ALTER COLUMN burst DROP NOT NULL;
ALTER TABLE quotas ADD COLUMN max_queued_intents integer CHECK (max_queued_intents >= 0);
ALTER TABLE quotas ADD COLUMN max_concurrent_runs integer CHECK (max_concurrent_runs >= 0);
