"""Learners and teams: who takes courses, joinable with HR data by several identifiers."""
