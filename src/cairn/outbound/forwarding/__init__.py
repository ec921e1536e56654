"""Statement forwarding: copy stored statements to other LRSs through the outbox."""
