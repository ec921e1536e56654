"""Attempts and sessions: progress events, the journal, open sessions and closing them."""
