"""Storage: engine set-up, table definitions and migrations."""
