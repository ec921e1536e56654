"""The catalog: courses, their package versions, lessons, and the people who learn.

A course is the stable thing people talk about; each upload of its content is
a new package (version) and older versions stay, because sessions keep the
version they ran. Lessons are the items of a package's organization in table
of contents order; containers (items with no resource) are lessons too, with
no launch href, so the tree can be rebuilt from ``parent_id`` and ``position``.

Learners carry several optional identifiers (external id, email, employee id)
so HR or CRM data can be joined later without guessing.
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
)

from cairn.db.tables.base import BigId, metadata

courses = Table(
    "courses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identifier", String(500), nullable=False, unique=True),
    Column("title", String(1000), nullable=False),
    Column("created_us", BigId, nullable=False),
)

packages = Table(
    "packages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("course_id", Integer, ForeignKey("courses.id", ondelete="RESTRICT"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("standard", String(10), nullable=False),
    Column("edition", String(10), nullable=True),
    Column("manifest_identifier", String(500), nullable=False),
    Column("title", String(1000), nullable=False),
    Column("organization_identifier", String(500), nullable=True),
    Column("objectives_global_to_system", Boolean, nullable=False, server_default="1"),
    Column("shared_data_global_to_system", Boolean, nullable=False, server_default="1"),
    Column("organization_sequencing_xml", Text, nullable=True),
    Column("sequencing_collection_xml", Text, nullable=True),
    Column("storage_path", String(100), nullable=False, unique=True),
    Column("size_bytes", BigId, nullable=False),
    Column("unpacked_bytes", BigId, nullable=False),
    Column("file_count", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("uploaded_us", BigId, nullable=False),
    UniqueConstraint("course_id", "version"),
    CheckConstraint("standard IN ('scorm12', 'scorm2004')", name="standard"),
    CheckConstraint("version >= 1", name="version"),
)

lessons = Table(
    "lessons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("package_id", Integer, ForeignKey("packages.id", ondelete="CASCADE"), nullable=False),
    Column("parent_id", Integer, ForeignKey("lessons.id", ondelete="CASCADE"), nullable=True),
    Column("position", Integer, nullable=False),
    Column("depth", Integer, nullable=False),
    Column("identifier", String(500), nullable=False),
    Column("resource_identifier", String(500), nullable=True),
    Column("title", String(1000), nullable=False),
    Column("is_sco", Boolean, nullable=False),
    Column("is_visible", Boolean, nullable=False, server_default="1"),
    Column("launch_href", String(2000), nullable=True),
    Column("parameters", String(1000), nullable=True),
    Column("mastery_score", Float, nullable=True),
    Column("completion_threshold", Float, nullable=True),
    Column("completed_by_measure", Boolean, nullable=False, server_default="0"),
    Column("scaled_passing_score", Float, nullable=True),
    Column("max_time_allowed", String(50), nullable=True),
    Column("time_limit_action", String(30), nullable=True),
    Column("data_from_lms", Text, nullable=True),
    Column("objectives_json", Text, nullable=False, server_default="[]"),
    Column("sequencing_xml", Text, nullable=True),
    UniqueConstraint("package_id", "identifier"),
    Index("ix_lessons_package_position", "package_id", "position"),
)

teams = Table(
    "teams",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("manager_user_id", Integer, ForeignKey("users.id", ondelete="SET NULL"),
           nullable=True, index=True),
    Column("created_us", BigId, nullable=False),
)

learners = Table(
    "learners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("external_id", String(200), nullable=False, unique=True),
    Column("email", String(320), nullable=True, index=True),
    Column("employee_id", String(100), nullable=True, unique=True),
    Column("name", String(200), nullable=False, server_default=""),
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True,
           index=True),
    Column("manager", String(200), nullable=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
           unique=True),
    Column("created_us", BigId, nullable=False),
    Column("updated_us", BigId, nullable=False),
)
