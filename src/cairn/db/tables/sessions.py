"""Attempts, sessions and what a session records: interactions, objectives, the journal.

One learner launching one lesson once is a *session*; sessions of the same
learner on the same lesson group into an *attempt*, which ends when the
content finishes it (SCORM: completed/passed and exited normally, or the
2004 exit rules) or on request, and the next launch starts attempt n+1.

A session keeps the last CMI snapshot the content committed (JSON) plus the
columns reports filter on (statuses, score, time). Interactions and
objectives are rows per session, replaced by each commit, so item analysis
is plain SQL. The journal records every runtime call of traced learners.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from cairn.db.tables.base import BigId, metadata

ACTIVE = text("state = 'active'")
OPEN = text("state = 'open'")

attempts = Table(
    "attempts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("learner_id", Integer, ForeignKey("learners.id", ondelete="RESTRICT"),
           nullable=False),
    Column("lesson_id", Integer, ForeignKey("lessons.id", ondelete="RESTRICT"), nullable=False),
    Column("package_id", Integer, ForeignKey("packages.id", ondelete="RESTRICT"),
           nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("state", String(10), nullable=False, server_default="active"),
    Column("total_time_cs", BigId, nullable=False, server_default="0"),
    Column("started_us", BigId, nullable=False),
    Column("ended_us", BigId, nullable=True),
    Column("ended_reason", String(200), nullable=True),
    # Current progress, kept by each commit of a normal-mode session (a read model:
    # the activity feed and reports read it instead of grouping sessions).
    Column("updated_us", BigId, nullable=False),
    Column("completed_us", BigId, nullable=True),
    Column("completion_status", String(20), nullable=False, server_default="unknown"),
    Column("success_status", String(20), nullable=False, server_default="unknown"),
    Column("progress_measure", Float, nullable=True),
    Column("score_scaled", Float, nullable=True),
    Column("score_raw", Float, nullable=True),
    Column("score_min", Float, nullable=True),
    Column("score_max", Float, nullable=True),
    Column("session_count", Integer, nullable=False, server_default="0"),
    UniqueConstraint("learner_id", "lesson_id", "number"),
    CheckConstraint("state IN ('active', 'ended')", name="state"),
    CheckConstraint("number >= 1", name="number"),
    # At most one attempt in progress per learner and lesson, even under races.
    Index("uq_attempts_active", "learner_id", "lesson_id", unique=True,
          sqlite_where=ACTIVE, postgresql_where=ACTIVE),
    Index("ix_attempts_updated", "updated_us", "id"),
    Index("ix_attempts_learner_updated", "learner_id", "updated_us"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("attempt_id", BigId, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("learner_id", Integer, ForeignKey("learners.id", ondelete="RESTRICT"),
           nullable=False),
    Column("lesson_id", Integer, ForeignKey("lessons.id", ondelete="RESTRICT"), nullable=False,
           index=True),
    Column("state", String(12), nullable=False, server_default="open"),
    Column("mode", String(10), nullable=False, server_default="normal"),
    Column("credit", String(10), nullable=False, server_default="credit"),
    Column("entry", String(10), nullable=False, server_default=""),
    Column("started_us", BigId, nullable=False),
    Column("updated_us", BigId, nullable=False),
    Column("ended_us", BigId, nullable=True),
    Column("closed_by", String(200), nullable=True),
    Column("closed_reason", Text, nullable=True),
    Column("initialized", Boolean, nullable=False, server_default="0"),
    Column("commit_count", Integer, nullable=False, server_default="0"),
    Column("prior_total_time_cs", BigId, nullable=False, server_default="0"),
    Column("session_time_cs", BigId, nullable=False, server_default="0"),
    Column("total_time_cs", BigId, nullable=False, server_default="0"),
    Column("completion_status", String(20), nullable=False, server_default="unknown"),
    Column("success_status", String(20), nullable=False, server_default="unknown"),
    Column("score_scaled", Float, nullable=True),
    Column("score_raw", Float, nullable=True),
    Column("score_min", Float, nullable=True),
    Column("score_max", Float, nullable=True),
    Column("progress_measure", Float, nullable=True),
    Column("location", Text, nullable=True),
    Column("suspend_data", Text, nullable=True),
    Column("exit", String(20), nullable=True),
    Column("nav_request", String(300), nullable=True),
    Column("cmi_json", Text, nullable=False, server_default="{}"),
    Column("launch_json", Text, nullable=False, server_default="{}"),
    CheckConstraint("state IN ('open', 'terminated', 'closed')", name="state"),
    CheckConstraint("mode IN ('normal', 'browse', 'review')", name="mode"),
    Index("ix_sessions_state_updated", "state", "updated_us"),
    Index("ix_sessions_learner_lesson", "learner_id", "lesson_id"),
    # A learner has at most one open session per lesson: a relaunch resumes it.
    Index("uq_sessions_open", "learner_id", "lesson_id", unique=True,
          sqlite_where=OPEN, postgresql_where=OPEN),
)

session_interactions = Table(
    "session_interactions",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("session_id", BigId, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("identifier", Text, nullable=False),
    Column("type", String(20), nullable=True),
    Column("learner_response", Text, nullable=True),
    Column("correct_responses_json", Text, nullable=False, server_default="[]"),
    Column("objective_ids_json", Text, nullable=False, server_default="[]"),
    Column("result", String(50), nullable=True),
    Column("weighting", Float, nullable=True),
    Column("latency_cs", BigId, nullable=True),
    Column("description", Text, nullable=True),
    Column("timestamp", String(50), nullable=True),
    UniqueConstraint("session_id", "position"),
)

session_objectives = Table(
    "session_objectives",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("session_id", BigId, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("identifier", Text, nullable=False),
    Column("success_status", String(20), nullable=True),
    Column("completion_status", String(20), nullable=True),
    Column("score_scaled", Float, nullable=True),
    Column("score_raw", Float, nullable=True),
    Column("score_min", Float, nullable=True),
    Column("score_max", Float, nullable=True),
    Column("progress_measure", Float, nullable=True),
    Column("description", Text, nullable=True),
    UniqueConstraint("session_id", "position"),
)

journal_lines = Table(
    "journal_lines",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("session_id", BigId, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("learner_id", Integer, nullable=False),
    Column("lesson_id", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("call", String(30), nullable=False),
    Column("element", Text, nullable=True),
    Column("value", Text, nullable=True),
    Column("result", Text, nullable=True),
    Column("error_code", Integer, nullable=False, server_default="0"),
    Column("occurred_us", BigId, nullable=False),
    Column("recorded_us", BigId, nullable=False, index=True),
    UniqueConstraint("session_id", "seq"),
    Index("ix_journal_lines_learner_occurred", "learner_id", "occurred_us"),
    Index("ix_journal_lines_lesson_occurred", "lesson_id", "occurred_us"),
    Index("ix_journal_lines_call", "call"),
)

traced_learners = Table(
    "traced_learners",
    metadata,
    Column("learner_id", Integer, ForeignKey("learners.id", ondelete="CASCADE"),
           primary_key=True),
    Column("added_by", String(200), nullable=False),
    Column("added_us", BigId, nullable=False),
)

trace_settings = Table(
    "trace_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trace_everyone", Boolean, nullable=False, server_default="0"),
    Column("updated_by", String(200), nullable=True),
    Column("updated_us", BigId, nullable=True),
    CheckConstraint("id = 1", name="single_row"),
)
