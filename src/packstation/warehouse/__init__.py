"""The warehouse database (PostgreSQL, opt-in with `warehouse_db`): cases, audit, statistics and
SSCC serial blocks shared by every station. The station stays usable offline on its own store;
what it shares waits in that store's outbox until PostgreSQL takes it (issue 18)."""
