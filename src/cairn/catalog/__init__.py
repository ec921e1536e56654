"""The catalog: courses, package versions, lessons, learners and teams, and content files."""
