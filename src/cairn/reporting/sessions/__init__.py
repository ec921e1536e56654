"""Sessions as reports read them: filtered, sorted, paged, as JSON or CSV."""
