"""What users do, shared by the pages and the API: upload, submit, review, roll up, publish.

Each function takes the acting user and checks its scope before anything else (:mod:`cpsdk_server.scopes`).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cpsdk_server import audit
from cpsdk_server.checking import (
    MERGE,
    Checker,
    CheckTimeout,
    Child,
    build_rollup,
    build_rollup_from_records,
    check_upload,
    rollup_method,
    timed_out,
)
from cpsdk_server.config import Settings
from cpsdk_server.models import Publication, Review, Submission, Upload, User, now
from cpsdk_server.scopes import (
    Role,
    ScopeError,
    can_review,
    children_of,
    form_for,
    is_public_form,
    parent_of,
    region_label,
    require_scope,
)
from cpsdk_server.sniff import DATASET, NotAccepted, sniff
from cpsdk_server.storage import FileStore

YEARS = range(1990, 2101)


class Refused(Exception):
    """A request that cannot be done as asked: the message (Chinese) says why; ``status`` is the HTTP status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class Services:
    """The server's settings, file store and checker."""

    settings: Settings
    store: FileStore
    checker: Checker


def scoped(db: Session, user: User, model: type[Any], object_id: int) -> Any:
    """The object ``object_id`` of ``model``, if it lies in the user's subtree; :class:`ScopeError` otherwise."""
    found = db.get(model, object_id)
    if found is None:
        raise ScopeError(str(object_id))
    require_scope(user.region, found.region)
    return found


def _year(year: int) -> int:
    if year not in YEARS:
        raise Refused(f"年度应在 {YEARS[0]}—{YEARS[-1]} 之间")
    return year


def receive(stream: BinaryIO, limit: int, folder: Path) -> Path:
    """Copy an uploaded stream to a temporary file in ``folder``, refusing more than ``limit`` bytes."""
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".upload-")
    path = Path(name)
    total = 0
    with open(descriptor, "wb") as out:
        while chunk := stream.read(1024 * 1024):
            total += len(chunk)
            if total > limit:
                out.close()
                path.unlink()
                raise Refused(f"文件超过 {limit // 1024**2} MB 上限", 413)
            out.write(chunk)
    if total == 0:
        path.unlink()
        raise Refused("文件为空")
    return path


def upload(
    db: Session, services: Services, user: User, form_id: str, year: int, filename: str, stream: BinaryIO
) -> Upload:
    """Store and check an upload for the user's own region; the upload row with what checking found."""
    form = form_for(user.region, form_id)
    _year(year)
    incoming = receive(stream, services.settings.max_upload_bytes, services.store.root)
    try:
        try:
            kind = sniff(incoming)
        except NotAccepted as exc:
            raise Refused(str(exc), 415) from None
        size = incoming.stat().st_size
        sha = services.store.put_file(incoming)
    finally:
        incoming.unlink(missing_ok=True)
    db.commit()  # nothing written yet: the connection goes back to the pool while the check runs
    try:
        result = services.checker.run(
            check_upload, str(services.store.path(sha)), kind, form.id, year, user.region, str(services.store.root)
        )
    except CheckTimeout as exc:  # its process was killed and replaced: the upload is kept, refused
        result = timed_out(exc.seconds)
    row = Upload(
        user_id=user.id,
        region=user.region,
        form_id=form.id,
        layout_year=result.layout_year,
        year=year,
        kind=kind,
        filename=Path(filename or "upload").name[:255],
        size=size,
        sha256=sha,
        status=result.status,
        errors=sum(1 for issue in result.issues if issue.get("severity") == "error"),
        warnings=sum(1 for issue in result.issues if issue.get("severity") == "warning"),
        issues_json=json.dumps(result.issues, ensure_ascii=False),
        grid_json=json.dumps(result.grid, ensure_ascii=False),
        workbook_sha256=result.workbook_sha256,
        draft_sha256=result.draft_sha256,
        created_at=now(),
    )
    db.add(row)
    db.flush()
    audit.append(db, user, "upload", "upload", row.id, user.region, sha, f"{form.id} {year} {row.status}")
    return row


def uploads_of(db: Session, user: User, limit: int = 100) -> list[Upload]:
    """The newest uploads of the user's subtree."""
    query = select(Upload).where(Upload.region.startswith(user.region)).order_by(Upload.id.desc()).limit(limit)
    return list(db.scalars(query))


def latest_submission(db: Session, form_id: str, year: int, region: str) -> Submission | None:
    """The current submission of a region for a form and year."""
    query = (
        select(Submission)
        .where(Submission.form_id == form_id, Submission.year == year, Submission.region == region)
        .order_by(Submission.id.desc())
        .limit(1)
    )
    return db.scalars(query).first()


def latest_review(db: Session, submission_id: int) -> Review | None:
    """The decision in force on a submission."""
    query = select(Review).where(Review.submission_id == submission_id).order_by(Review.id.desc()).limit(1)
    return db.scalars(query).first()


def submit(db: Session, services: Services, user: User, upload_id: int) -> Submission:
    """Send an upload without errors to the region above: stored immutably, superseding the previous one."""
    row: Upload = scoped(db, user, Upload, upload_id)
    if row.region != user.region:
        raise Refused("只能报送本地区的上传", 403)
    if row.status != "ok" or not row.workbook_sha256:
        raise Refused("有错误的上传不能报送，请修改后重新上传")
    parent = parent_of(row.region)
    if parent is None:
        raise Refused("省级报表不向上报送")
    if not services.store.verify(row.workbook_sha256):
        raise Refused("存储的文件与其哈希不符，请重新上传", 500)
    dataset = row.sha256 if row.kind == DATASET else None
    return _new_submission(
        db, user, row.form_id, row.year, row.region, parent, row.workbook_sha256, "upload", row, dataset
    )


def _new_submission(
    db: Session,
    user: User,
    form_id: str,
    year: int,
    region: str,
    parent: str,
    sha: str,
    kind: str,
    source: Upload | None,
    dataset: str | None = None,
) -> Submission:
    previous = latest_submission(db, form_id, year, region)
    filename = f"{form_id}-{year}-{region}.xlsx"
    entry = Submission(
        upload_id=source.id if source is not None else None,
        kind=kind,
        form_id=form_id,
        year=year,
        region=region,
        parent_region=parent,
        filename=filename,
        sha256=sha,
        submitted_by=user.id,
        submitted_at=now(),
        supersedes_id=previous.id if previous is not None else None,
        dataset_sha256=dataset,
    )
    db.add(entry)
    db.flush()
    audit.append(
        db,
        user,
        "submit" if kind == "upload" else "rollup-submit",
        "submission",
        entry.id,
        region,
        sha,
        f"{form_id} {year} → {parent}",
    )
    return entry


def review(db: Session, user: User, submission_id: int, decision: str, comment: str) -> Review:
    """Return (with a comment) or accept the current submission of a child region."""
    entry: Submission = scoped(db, user, Submission, submission_id)
    if not can_review(user.role, user.region, entry.parent_region):
        raise ScopeError(str(submission_id))
    if decision not in ("returned", "accepted"):
        raise Refused("无效的审核结论")
    comment = comment.strip()[:2000]
    if decision == "returned" and not comment:
        raise Refused("退回时请填写意见")
    current = latest_submission(db, entry.form_id, entry.year, entry.region)
    if current is None or current.id != entry.id:
        raise Refused("该报送已被新的报送取代", 409)
    decided = Review(submission_id=entry.id, decision=decision, comment=comment, reviewer_id=user.id, at=now())
    db.add(decided)
    db.flush()
    action = "return" if decision == "returned" else "accept"
    audit.append(db, user, action, "submission", entry.id, entry.region, entry.sha256, comment)
    return decided


@dataclass
class ChildStatus:
    """A child region's state for a form and year."""

    region: str
    name: str
    status: str  # missing | submitted | returned | accepted
    submission: Submission | None
    review: Review | None

    @property
    def title(self) -> str:
        """The status in Chinese."""
        return {"missing": "未报送", "submitted": "已报送待审核", "returned": "已退回", "accepted": "已通过"}[
            self.status
        ]


def child_statuses(db: Session, user: User, form_id: str, year: int) -> list[ChildStatus]:
    """Each region submitting to the user's region, with its status for ``form_id`` and ``year``."""
    if user.role not in (Role.CITY_REVIEWER, Role.PROVINCE_ADMIN):
        raise ScopeError(user.region)
    form_for(user.region, form_id)
    _year(year)
    statuses = []
    for child in children_of(user.region):
        entry = latest_submission(db, form_id, year, child)
        decided = latest_review(db, entry.id) if entry is not None else None
        status = "missing" if entry is None else (decided.decision if decided is not None else "submitted")
        statuses.append(ChildStatus(child, region_label(child), status, entry, decided))
    return statuses


def submission_file(db: Session, services: Services, user: User, submission_id: int) -> tuple[Path, Submission]:
    """A submission's stored workbook, checked against its hash; the download is logged."""
    entry: Submission = scoped(db, user, Submission, submission_id)
    if not services.store.verify(entry.sha256):
        raise Refused("存储的文件与其哈希不符", 500)
    audit.append(db, user, "download", "submission", entry.id, entry.region, entry.sha256, entry.filename)
    return services.store.path(entry.sha256), entry


def dataset_of(db: Session, entry: Submission) -> str | None:
    """The SHA-256 of the stored dataset a submission's workbook was built from, or None (a workbook uploaded
    as such). A submission made before migration 0002 is found through its upload."""
    if entry.dataset_sha256:
        return entry.dataset_sha256
    if entry.upload_id is not None:
        source = db.get(Upload, entry.upload_id)
        if source is not None and source.kind == DATASET:
            return source.sha256
    return None


def rollup(db: Session, services: Services, user: User, form_id: str, year: int) -> tuple[str | None, list[Any]]:
    """The official workbook of the user's region rolled up from its children's accepted submissions: merged
    (mergeable forms) or built from their records (any other form but an enterprise's own); its SHA-256, or None
    with the issues saying why it cannot be made."""
    sha, issues, _dataset = _rollup(db, services, user, form_id, year)
    return sha, issues


def _rollup(
    db: Session, services: Services, user: User, form_id: str, year: int
) -> tuple[str | None, list[Any], str | None]:
    """:func:`rollup`, with the SHA-256 of the combined dataset it was built from (None when not built so)."""
    statuses = child_statuses(db, user, form_id, year)
    form = form_for(user.region, form_id)
    method = rollup_method(form)
    if method is None:
        raise Refused(f"{form.title} 为企业级表单，不汇总")
    accepted = [item for item in statuses if item.status == "accepted" and item.submission is not None]
    if not accepted:
        raise Refused("尚无已通过的报送，无法汇总")
    store = services.store
    paths = [str(store.path(item.submission.sha256)) for item in accepted if item.submission is not None]
    datasets = [dataset_of(db, item.submission) for item in accepted if item.submission is not None]
    db.commit()  # nothing written yet: the connection goes back to the pool while the roll-up is built
    try:
        sha, issues, dataset_sha = _build(services, user, form_id, year, method, accepted, statuses, paths, datasets)
    except CheckTimeout as exc:
        raise Refused(f"生成汇总超时（超过 {exc.seconds:g} 秒），请联系管理员", 422) from None
    if sha is not None:
        audit.append(
            db,
            user,
            "download",
            "rollup",
            f"{form_id}/{year}",
            user.region,
            sha,
            f"汇总 {len(accepted)} 份已通过的报送（{'合并工作簿' if method == MERGE else '由记录生成'}）",
        )
    return sha, issues, dataset_sha


def _build(
    services: Services,
    user: User,
    form_id: str,
    year: int,
    method: str,
    accepted: list[ChildStatus],
    statuses: list[ChildStatus],
    paths: list[str],
    datasets: list[str | None],
) -> tuple[str | None, list[Any], str | None]:
    """Build the roll-up in the checker: merged (:data:`MERGE`) or from the accepted records."""
    store = services.store
    if method == MERGE:
        sha, issues = services.checker.run(build_rollup, form_id, paths, str(store.root))
        return sha, issues, None
    children = []
    for item, path, dataset in zip(accepted, paths, datasets, strict=True):
        if dataset is not None and not store.verify(dataset):
            raise Refused(f"{item.name}报送的数据集与其哈希不符", 500)
        label = f"{item.name}（{item.region}）"
        stored = str(store.path(dataset)) if dataset is not None else None
        children.append(Child(region=item.region, label=label, workbook=path, dataset=stored))
    siblings = [item.region for item in statuses]
    built: tuple[str | None, list[Any], str | None] = services.checker.run(
        build_rollup_from_records, form_id, year, user.region, children, siblings, str(store.root)
    )
    return built


def submit_rollup(db: Session, services: Services, user: User, form_id: str, year: int) -> Submission:
    """Send the roll-up of the user's region to the region above, with the dataset it was built from (if any),
    so that the region above can roll up its children's roll-ups."""
    parent = parent_of(user.region)
    if parent is None:
        raise Refused("省级汇总不向上报送")
    sha, _issues, dataset = _rollup(db, services, user, form_id, year)
    if sha is None:
        raise Refused("汇总有错误，不能报送")
    return _new_submission(db, user, form_id, year, user.region, parent, sha, "rollup", None, dataset)


def publish(db: Session, services: Services, user: User, upload_id: int) -> Publication:
    """Publish a public form's upload (without errors) of the user's region, for everyone to see."""
    row: Upload = scoped(db, user, Upload, upload_id)
    if user.role != Role.PROVINCE_ADMIN:
        raise Refused("只有省级管理员可以公示", 403)
    form = form_for(user.region, row.form_id)
    if not is_public_form(form):
        raise Refused("该表单不公开")
    if row.status != "ok" or not row.workbook_sha256:
        raise Refused("有错误的上传不能公示")
    entry = Publication(
        upload_id=row.id,
        form_id=row.form_id,
        year=row.year,
        region=row.region,
        sha256=row.workbook_sha256,
        published_by=user.id,
        at=now(),
    )
    db.add(entry)
    db.flush()
    audit.append(db, user, "publish", "publication", entry.id, row.region, row.workbook_sha256, row.form_id)
    return entry


def publications(db: Session) -> list[Publication]:
    """Every publication, newest first."""
    return list(db.scalars(select(Publication).order_by(Publication.id.desc()).limit(200)))


def history(db: Session, user: User, limit: int = 200) -> list[Submission]:
    """Submissions of the user's subtree (its own and its children's), newest first."""
    query = select(Submission).where(Submission.region.startswith(user.region))
    return list(db.scalars(query.order_by(Submission.id.desc()).limit(limit)))


def count_users(db: Session) -> int:
    """How many accounts there are."""
    return db.scalar(select(func.count()).select_from(User)) or 0
