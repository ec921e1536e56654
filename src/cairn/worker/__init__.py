"""Background jobs: run by ``cairn worker`` or in-process by ``cairn serve --with-worker``."""
