"""The learner-progress report: completion, pass rate, scores and time, by any grouping."""
