"""The normalized activity feed: learner progress per content item, for LMS integrations."""
