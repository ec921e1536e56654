"""SCORM 1.2 and 2004: data models, time values, launch and the runtime endpoint."""
