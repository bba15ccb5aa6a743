"""The tables. Rows of uploads, submissions, reviews, publications and the audit log are only ever added:
a resubmission is a new submission, a decision a new review, and status is read from the latest rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def now() -> dt.datetime:
    """The current time, in UTC."""
    return dt.datetime.now(dt.timezone.utc)


class Base(DeclarativeBase):
    """The declarative base of every table."""


class User(Base):
    """An account: a role over a region's subtree."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(6))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class LoginFailure(Base):
    """A failed login, counted per account and address for throttling."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    __table_args__ = (Index("ix_login_failures_name_address", "name", "address"),)


class Upload(Base):
    """A file uploaded for a form and year, and what checking it found."""

    __tablename__ = "uploads"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    region: Mapped[str] = mapped_column(String(6), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    layout_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # workbook | dataset
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    #: ok (no errors), errors, refused (unreadable)
    status: Mapped[str] = mapped_column(String(16))
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    issues_json: Mapped[str] = mapped_column(Text, default="[]")
    grid_json: Mapped[str] = mapped_column(Text, default="[]")
    #: The form workbook a submission would send (the upload itself, or the workbook built from a dataset).
    workbook_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    draft_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Submission(Base):
    """A workbook sent to the region above: immutable; the latest for a region, form and year is current."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("uploads.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))  # upload | rollup
    form_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6), index=True)
    parent_region: Mapped[str] = mapped_column(String(6), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), nullable=True)
    #: The stored dataset (JSON) the workbook was built from: a dataset upload, or a roll-up's combined datasets;
    #: None for a workbook uploaded as such (its records are its rows, if the form lists records). Migration 0002.
    dataset_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, default=None)


class Review(Base):
    """A reviewer's decision on a submission: returned (with a comment) or accepted; the latest counts."""

    __tablename__ = "reviews"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    decision: Mapped[str] = mapped_column(String(16))  # returned | accepted
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class Publication(Base):
    """A public form's workbook published for everyone to see without logging in."""

    __tablename__ = "publications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    form_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(6))
    sha256: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)


class AuditEntry(Base):
    """One line of the append-only audit log (the database refuses updates and deletes of it)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6), index=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
