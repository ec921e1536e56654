"""Cairn: a self-hosted learner-progress tracking server."""

__version__ = "0.1.0"
