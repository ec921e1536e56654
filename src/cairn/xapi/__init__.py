"""The Learning Record Store, served at ``/xapi/``."""
