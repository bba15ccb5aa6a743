"""The JSON API beside the pages, for systems that embed this one: the same workflow and the same scopes.

Authentication is the session cookie: ``GET /api/session`` gives the CSRF token, ``POST /api/login`` logs in;
every POST then sends the token in the ``X-CSRF-Token`` header. Documented at ``/api/openapi.json`` and
``/api/docs``. The accounts (``/api/users``) are the province administrator's, as on its page ``/users``, through
the same functions (:mod:`cpsdk_server.accounts`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from cpsdk_server import accounts, audit, workflow
from cpsdk_server.checking import rollup_method
from cpsdk_server.disclosure import public_view
from cpsdk_server.models import Publication, Submission, Upload, User
from cpsdk_server.scopes import Role, ScopeError, forms_for, is_public_form, region_label
from cpsdk_server.web.deps import csrf_token, current_user, database, optional_user, require_csrf, services
from cpsdk_server.web.session import keep_own_session, log_in, log_out
from cpsdk_server.workflow import Refused, Services

api = APIRouter(prefix="/api", tags=["api"])
api_actions = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(require_csrf)])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UserOut(BaseModel):
    """An account."""

    id: int
    name: str
    role: str
    region: str


class SessionOut(BaseModel):
    """Who is logged in (null: no one) and the CSRF token to send with every POST."""

    user: UserOut | None
    csrf_token: str


class Credentials(BaseModel):
    """A name and password."""

    name: str
    password: str


class FormOut(BaseModel):
    """A form the user files."""

    id: str
    title: str
    layout_year: int
    period: str
    scope: str
    mergeable: bool
    #: How a reviewer rolls it up: "merge" (mergeable forms), "records" (built from the accepted records), or
    #: null (an enterprise's own form, never rolled up).
    rollup: str | None
    public: bool


class UploadOut(BaseModel):
    """An upload and what checking found: ``status`` ok, errors or refused; ``issues`` as ``cpsdk issues_to_json``."""

    id: int
    form: str
    year: int
    region: str
    kind: str
    filename: str
    sha256: str
    status: str
    errors: int
    warnings: int
    created_at: dt.datetime
    issues: list[dict[str, Any]]


class SubmissionOut(BaseModel):
    """A submission to the region above."""

    id: int
    form: str
    year: int
    region: str
    parent_region: str
    kind: str
    sha256: str
    submitted_at: dt.datetime
    supersedes: int | None
    decision: str | None = None
    comment: str | None = None


class StatusOut(BaseModel):
    """A child region's status: missing, submitted, returned or accepted."""

    region: str
    name: str
    status: str
    submission: SubmissionOut | None


class ReviewIn(BaseModel):
    """A reviewer's comment (required to return)."""

    comment: str = ""


class RollupIn(BaseModel):
    """The form and year of a roll-up to submit upwards."""

    form: str
    year: int


class AuditOut(BaseModel):
    """A line of the audit log."""

    id: int
    at: dt.datetime
    user: str
    action: str
    object_type: str
    object_id: str
    region: str
    sha256: str
    detail: str


class AccountOut(BaseModel):
    """An account as its administrator sees it (never its password or hash)."""

    id: int
    name: str
    #: province-admin, city-reviewer or county-clerk
    role: str
    #: GB/T 2260 code: 2 digits a province, 4 a prefecture (市), 6 a county (县)
    region: str
    region_name: str
    #: false: disabled, its sessions ended, it cannot log in
    active: bool
    created_at: dt.datetime


class AccountIn(BaseModel):
    """A new account: a name of 2–64 letters, digits, Chinese characters or ``_.-``; a role (province-admin,
    city-reviewer, county-clerk); a region of the role's level within the administrator's province; a password of
    at least 10 characters."""

    name: str
    role: str
    region: str
    password: str


class PasswordIn(BaseModel):
    """A new password (at least 10 characters)."""

    password: str


class PublicationOut(BaseModel):
    """A published disclosure with its public fields."""

    id: int
    form: str
    year: int
    region: str
    sha256: str
    title: str | None = None
    header: list[tuple[str, str]] | None = None
    tables: list[tuple[str, list[str], list[list[str]]]] | None = None


def _user(user: User) -> UserOut:
    return UserOut(id=user.id, name=user.name, role=user.role, region=user.region)


def _upload(row: Upload) -> UploadOut:
    return UploadOut(
        id=row.id,
        form=row.form_id,
        year=row.year,
        region=row.region,
        kind=row.kind,
        filename=row.filename,
        sha256=row.sha256,
        status=row.status,
        errors=row.errors,
        warnings=row.warnings,
        created_at=row.created_at,
        issues=json.loads(row.issues_json),
    )


def _submission(db: Session, entry: Submission) -> SubmissionOut:
    decided = workflow.latest_review(db, entry.id)
    return SubmissionOut(
        id=entry.id,
        form=entry.form_id,
        year=entry.year,
        region=entry.region,
        parent_region=entry.parent_region,
        kind=entry.kind,
        sha256=entry.sha256,
        submitted_at=entry.submitted_at,
        supersedes=entry.supersedes_id,
        decision=decided.decision if decided else None,
        comment=decided.comment if decided else None,
    )


@api.get("/session", response_model=SessionOut, summary="当前会话与 CSRF 令牌")
def session(request: Request, user: User | None = Depends(optional_user)) -> SessionOut:
    """Who is logged in, and the CSRF token for POST requests."""
    return SessionOut(user=_user(user) if user else None, csrf_token=csrf_token(request))


@api_actions.post("/login", response_model=SessionOut, summary="登录")
def login(request: Request, body: Credentials, db: Session = Depends(database)) -> SessionOut:
    """Log in (throttled: 5 failures of an account from an address lock it there for 15 minutes)."""
    user = log_in(request, db, body.name, body.password)
    return SessionOut(user=_user(user), csrf_token=csrf_token(request))


@api_actions.post("/logout", summary="退出")
def logout(request: Request) -> dict[str, bool]:
    """End the session."""
    log_out(request)
    return {"ok": True}


@api.get("/forms", response_model=list[FormOut], summary="本账户可填报的表单")
def forms(user: User = Depends(current_user)) -> list[FormOut]:
    """The forms of the user's province and the national ones."""
    return [
        FormOut(
            id=form.id,
            title=form.title,
            layout_year=form.layout_year,
            period=str(form.period.value),
            scope=str(form.scope.value),
            mergeable=hasattr(form, "merge"),
            rollup=rollup_method(form),
            public=is_public_form(form),
        )
        for form in forms_for(user.region)
    ]


@api_actions.post("/uploads", response_model=UploadOut, summary="上传并检查")
def upload(
    form: str = Form(...),
    year: int = Form(...),
    file: UploadFile = File(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> UploadOut:
    """Upload a form workbook (xlsx) or a dataset (JSON) for a form and year, for the user's own region."""
    row = workflow.upload(db, svc, user, form, year, file.filename or "upload", file.file)
    db.commit()
    return _upload(row)


@api.get("/uploads", response_model=list[UploadOut], summary="上传列表")
def uploads(user: User = Depends(current_user), db: Session = Depends(database)) -> list[UploadOut]:
    """The newest uploads of the user's subtree."""
    return [_upload(row) for row in workflow.uploads_of(db, user)]


@api.get("/uploads/{upload_id}", response_model=UploadOut, summary="一次上传的检查结果")
def upload_detail(upload_id: int, user: User = Depends(current_user), db: Session = Depends(database)) -> UploadOut:
    """An upload and its issues."""
    return _upload(workflow.scoped(db, user, Upload, upload_id))


@api.get("/uploads/{upload_id}/draft", summary="下载标注问题的草稿工作簿", response_class=FileResponse)
def draft(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> FileResponse:
    """The draft workbook with the issues marked."""
    row: Upload = workflow.scoped(db, user, Upload, upload_id)
    if not row.draft_sha256:
        raise Refused("该上传没有可下载的草稿", 404)
    return FileResponse(svc.store.path(row.draft_sha256), media_type=XLSX, filename=f"draft-{row.id}.xlsx")


@api_actions.post("/uploads/{upload_id}/submit", response_model=SubmissionOut, summary="报送")
def submit(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> SubmissionOut:
    """Submit an upload without errors to the region above."""
    entry = workflow.submit(db, svc, user, upload_id)
    db.commit()
    return _submission(db, entry)


@api_actions.post("/uploads/{upload_id}/publish", response_model=PublicationOut, summary="公示")
def publish(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> PublicationOut:
    """Publish a public form's upload (province administrators)."""
    entry = workflow.publish(db, svc, user, upload_id)
    db.commit()
    return PublicationOut(id=entry.id, form=entry.form_id, year=entry.year, region=entry.region, sha256=entry.sha256)


@api.get("/status", response_model=list[StatusOut], summary="下级地区报送状态")
def status(
    form: str = Query(...),
    year: int = Query(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> list[StatusOut]:
    """Each child region's status for a form and year (reviewers and administrators)."""
    return [
        StatusOut(
            region=item.region,
            name=item.name,
            status=item.status,
            submission=_submission(db, item.submission) if item.submission else None,
        )
        for item in workflow.child_statuses(db, user, form, year)
    ]


@api.get("/submissions", response_model=list[SubmissionOut], summary="报送记录")
def submissions(user: User = Depends(current_user), db: Session = Depends(database)) -> list[SubmissionOut]:
    """Submissions of the user's subtree, newest first."""
    return [_submission(db, entry) for entry in workflow.history(db, user)]


@api_actions.post("/submissions/{submission_id}/return", response_model=SubmissionOut, summary="退回")
def return_submission(
    submission_id: int, body: ReviewIn, user: User = Depends(current_user), db: Session = Depends(database)
) -> SubmissionOut:
    """Return a child region's current submission with a comment."""
    workflow.review(db, user, submission_id, "returned", body.comment)
    db.commit()
    return _submission(db, workflow.scoped(db, user, Submission, submission_id))


@api_actions.post("/submissions/{submission_id}/accept", response_model=SubmissionOut, summary="通过")
def accept_submission(
    submission_id: int, user: User = Depends(current_user), db: Session = Depends(database)
) -> SubmissionOut:
    """Accept a child region's current submission."""
    workflow.review(db, user, submission_id, "accepted", "")
    db.commit()
    return _submission(db, workflow.scoped(db, user, Submission, submission_id))


@api.get("/submissions/{submission_id}/file", summary="下载报送的工作簿", response_class=FileResponse)
def submission_file(
    submission_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> FileResponse:
    """A submitted workbook (logged as an official download)."""
    path, entry = workflow.submission_file(db, svc, user, submission_id)
    db.commit()
    return FileResponse(path, media_type=XLSX, filename=entry.filename)


@api.get("/rollup", summary="下载汇总的正式工作簿", response_class=FileResponse)
def rollup(
    form: str = Query(...),
    year: int = Query(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> FileResponse:
    """The official workbook rolled up from the accepted submissions: merged (mergeable forms) or built from
    their records (other forms; every accepted submission must carry records: a dataset, or a record-level
    form's rows). 422 with the issues when it cannot be made."""
    sha, issues = workflow.rollup(db, svc, user, form, year)
    db.commit()
    if sha is None:
        raise Refused("无法汇总：" + "；".join(str(issue.get("message_zh", "")) for issue in issues[:5]), 422)
    return FileResponse(svc.store.path(sha), media_type=XLSX, filename=f"{form}-{year}-{user.region}.xlsx")


@api_actions.post("/rollup/submit", response_model=SubmissionOut, summary="汇总后向上报送")
def submit_rollup(
    body: RollupIn,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> SubmissionOut:
    """Submit the roll-up of the user's region to the region above (with the dataset it was built from, if any)."""
    entry = workflow.submit_rollup(db, svc, user, body.form, body.year)
    db.commit()
    return _submission(db, entry)


@api.get("/audit", response_model=list[AuditOut], summary="审计日志")
def audit_log(user: User = Depends(current_user), db: Session = Depends(database)) -> list[AuditOut]:
    """The audit log of the administrator's province."""
    if user.role != Role.PROVINCE_ADMIN:
        raise Refused("只有省级管理员可以查看审计日志", 403)
    return [
        AuditOut(
            id=entry.id,
            at=entry.at,
            user=entry.user_name,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            region=entry.region,
            sha256=entry.sha256,
            detail=entry.detail,
        )
        for entry in audit.entries(db, user.region)
    ]


def _account(user: User) -> AccountOut:
    return AccountOut(
        id=user.id,
        name=user.name,
        role=user.role,
        region=user.region,
        region_name=region_label(user.region),
        active=user.active,
        created_at=user.created_at,
    )


@api.get("/users", response_model=list[AccountOut], summary="本省账户列表（省级管理员）")
def accounts_list(user: User = Depends(current_user), db: Session = Depends(database)) -> list[AccountOut]:
    """The accounts of the administrator's province (403 for other roles)."""
    accounts.require_admin(user)
    return [_account(item) for item in accounts.users_in(db, user.region)]


@api_actions.post("/users", response_model=AccountOut, summary="新增账户（省级管理员）")
def account_add(body: AccountIn, user: User = Depends(current_user), db: Session = Depends(database)) -> AccountOut:
    """Add an account within the administrator's province (403 for other roles; 404 for a region outside the
    province; 400 with the reason for a taken name, a role and region that do not match, a short password).
    Logged in the audit log (新增账户)."""
    added = accounts.add_user(db, user, body.name.strip(), body.role, body.region.strip(), body.password)
    db.commit()
    return _account(added)


@api_actions.post("/users/{user_id}/disable", response_model=AccountOut, summary="停用账户（省级管理员）")
def account_disable(user_id: int, user: User = Depends(current_user), db: Session = Depends(database)) -> AccountOut:
    """Disable an account of the administrator's province: its sessions end at once and it cannot log in. Never
    the administrator's own (400). Logged (停用账户)."""
    target = accounts.managed(db, user, user_id)
    accounts.set_active(db, user, target, False)
    db.commit()
    return _account(target)


@api_actions.post("/users/{user_id}/enable", response_model=AccountOut, summary="启用账户（省级管理员）")
def account_enable(user_id: int, user: User = Depends(current_user), db: Session = Depends(database)) -> AccountOut:
    """Enable a disabled account of the administrator's province again. Logged (启用账户)."""
    target = accounts.managed(db, user, user_id)
    accounts.set_active(db, user, target, True)
    db.commit()
    return _account(target)


@api_actions.post("/users/{user_id}/password", response_model=AccountOut, summary="重置密码（省级管理员）")
def account_password(
    request: Request,
    user_id: int,
    body: PasswordIn,
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> AccountOut:
    """Give an account of the administrator's province a new password: every session of the account ends (but
    this one, when it is the administrator's own). Logged (重置密码), never the password."""
    target = accounts.managed(db, user, user_id)
    accounts.set_password(db, user, target, body.password)
    db.commit()
    keep_own_session(request, user, target)
    return _account(target)


@api.get("/public", response_model=list[PublicationOut], summary="公示列表（无需登录）")
def publications(db: Session = Depends(database)) -> list[PublicationOut]:
    """Every publication."""
    return [
        PublicationOut(id=entry.id, form=entry.form_id, year=entry.year, region=entry.region, sha256=entry.sha256)
        for entry in workflow.publications(db)
    ]


@api.get("/public/{publication_id}", response_model=PublicationOut, summary="公示内容（无需登录）")
def publication(
    publication_id: int, db: Session = Depends(database), svc: Services = Depends(services)
) -> PublicationOut:
    """A publication's public fields."""
    entry = db.get(Publication, publication_id)
    if entry is None:
        raise ScopeError(str(publication_id))
    view = public_view(entry.form_id, svc.store.path(entry.sha256), entry.sha256)
    return PublicationOut(
        id=entry.id,
        form=entry.form_id,
        year=entry.year,
        region=entry.region,
        sha256=entry.sha256,
        title=view.title,
        header=view.header,
        tables=view.tables,
    )
