"""The Statement resource: storing, voiding, querying."""
