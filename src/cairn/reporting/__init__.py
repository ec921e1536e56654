"""Reading progress out: sessions, drill-down, aggregates, the activity feed, CSV."""
