"""The pages: server-rendered, in simplified Chinese. Every route goes through :mod:`cpsdk_server.workflow`,
whose functions check the user's scope; state-changing routes carry the CSRF check (``actions``)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from cpsdk_server import accounts, audit, workflow
from cpsdk_server.checking import RECORDS, rollup_method
from cpsdk_server.models import Upload, User
from cpsdk_server.scopes import Role, ScopeError, forms_for, is_public_form, parent_of
from cpsdk_server.web.deps import current_user, database, optional_user, require_csrf, services
from cpsdk_server.web.session import keep_own_session, log_in, log_out
from cpsdk_server.web.templating import render
from cpsdk_server.workflow import Refused, Services

pages = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[Depends(require_csrf)])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@pages.get("/login")
def login_page(request: Request, expired: int = 0, user: User | None = Depends(optional_user)) -> Response:
    """The login form (``expired``: a form was sent after the session had ended)."""
    if user is not None:
        return _see_other("/")
    if expired:
        return render(request, "login.html", message="登录已过期或已在其他标签页退出，请重新登录后再操作")
    return render(request, "login.html")


@actions.post("/login")
def login(
    request: Request, name: str = Form(""), password: str = Form(""), db: Session = Depends(database)
) -> Response:
    """Log in, or show the form again with why not."""
    try:
        log_in(request, db, name, password)
    except Refused as exc:
        return render(request, "login.html", status=exc.status, message=exc.message, name=name)
    return _see_other("/")


@actions.post("/logout")
def logout(request: Request) -> Response:
    """Log out."""
    log_out(request)
    return _see_other("/login")


@pages.get("/")
def home(request: Request, user: User = Depends(current_user), db: Session = Depends(database)) -> Response:
    """The user's forms and latest uploads."""
    return render(
        request,
        "home.html",
        user=user,
        forms=forms_for(user.region),
        form_titles={form.id: form.title for form in forms_for(user.region)},
        uploads=workflow.uploads_of(db, user, 20),
        Role=Role,
    )


@pages.get("/uploads/new")
def new_upload(request: Request, form: str = "", year: int = 0, user: User = Depends(current_user)) -> Response:
    """The upload form."""
    return render(request, "upload_new.html", user=user, forms=forms_for(user.region), chosen=form, year=year or "")


@actions.post("/uploads")
def create_upload(
    form_id: str = Form(..., alias="form"),
    year: int = Form(...),
    file: UploadFile = File(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """Store and check an upload, then show what checking found."""
    row = workflow.upload(db, svc, user, form_id, year, file.filename or "upload", file.file)
    db.commit()
    return _see_other(f"/uploads/{row.id}")


@pages.get("/uploads/{upload_id}")
def show_upload(
    request: Request, upload_id: int, user: User = Depends(current_user), db: Session = Depends(database)
) -> Response:
    """An upload's issues, as a list and on the workbook's grid."""
    row: Upload = workflow.scoped(db, user, Upload, upload_id)
    issues: list[dict[str, Any]] = json.loads(row.issues_json)
    form = next((form for form in forms_for(user.region) if form.id == row.form_id), None)
    public = form is not None and is_public_form(form)
    # errors first, then warnings, each in the order checking found them; the grid's marks keep their indexes
    order = sorted(range(len(issues)), key=lambda index: (issues[index].get("severity") != "error", index))
    return render(
        request,
        "upload.html",
        user=user,
        upload=row,
        form_title=form.title if form is not None else row.form_id,
        issues=issues,
        order=order,
        number={index: place + 1 for place, index in enumerate(order)},
        grid=_in_order(json.loads(row.grid_json), order),
        parent=parent_of(row.region) or "",
        can_submit=row.status == "ok" and row.region == user.region and len(row.region) > 2,
        can_publish=public and row.status == "ok" and user.role == Role.PROVINCE_ADMIN,
    )


def _in_order(grid: list[dict[str, Any]], order: list[int]) -> list[dict[str, Any]]:
    """The grid with each cell's and row's marks in the order the issues are listed."""
    place = {index: position for position, index in enumerate(order)}
    for sheet in grid:
        for row in sheet.get("rows", []):
            row["marks"] = sorted(row.get("marks", []), key=lambda m: place.get(m, m))
            for cell in row.get("cells", []):
                cell["marks"] = sorted(cell.get("marks", []), key=lambda m: place.get(m, m))
    return grid


@pages.get("/uploads/{upload_id}/draft")
def draft(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """The draft workbook with the issues marked on its cells."""
    row: Upload = workflow.scoped(db, user, Upload, upload_id)
    if not row.draft_sha256:
        raise Refused("该上传没有可下载的草稿", 404)
    name = f"草稿-{row.form_id}-{row.year}-{row.region}.xlsx"
    return FileResponse(svc.store.path(row.draft_sha256), media_type=XLSX, filename=name)


@actions.post("/uploads/{upload_id}/submit")
def submit(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """Submit an upload to the region above. Sent again (a double click, the back button) while its submission
    is still the region's current one and not returned, nothing new is stored: the history says so."""
    row: Upload = workflow.scoped(db, user, Upload, upload_id)
    current = workflow.latest_submission(db, row.form_id, row.year, row.region)
    if current is not None and current.upload_id == row.id:
        decided = workflow.latest_review(db, current.id)
        if decided is None or decided.decision == "accepted":
            return _see_other(f"/history?already={current.id}")
    entry = workflow.submit(db, svc, user, upload_id)
    db.commit()
    return _see_other(f"/history?submitted={entry.id}")


@actions.post("/uploads/{upload_id}/publish")
def publish(
    upload_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """Publish a disclosure."""
    entry = workflow.publish(db, svc, user, upload_id)
    db.commit()
    return _see_other(f"/public/{entry.id}")


@pages.get("/review")
def review_page(
    request: Request,
    form: str = "",
    year: int = 0,
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Each child region's status for a form and year, with return and accept, and the roll-up."""
    if user.role == Role.COUNTY_CLERK:
        raise ScopeError(user.region)
    forms = forms_for(user.region)
    statuses = workflow.child_statuses(db, user, form, year) if form and year else []
    chosen = next((item for item in forms if item.id == form), None)
    method = rollup_method(chosen) if chosen is not None else None
    return render(
        request,
        "review.html",
        user=user,
        forms=forms,
        chosen=form,
        year=year or "",
        statuses=statuses,
        rollup_method=method,
        # an aggregate form that is not merged: rolled up only from the datasets the regions submitted
        needs_datasets=method == RECORDS and chosen is not None and not (chosen.record_level and chosen.record_fields),
        missing=[item for item in statuses if item.status == "missing"],
        pending=[item for item in statuses if item.status == "submitted"],
        returned=[item for item in statuses if item.status == "returned"],
        accepted=[item for item in statuses if item.status == "accepted"],
        outside=[item for item in statuses if item.status != "accepted"],
        can_submit_up=len(user.region) > 2,
    )


@actions.post("/submissions/{submission_id}/return")
def return_submission(
    submission_id: int,
    comment: str = Form(""),
    back: str = Form("/review"),
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Return a submission with a comment."""
    workflow.review(db, user, submission_id, "returned", comment)
    db.commit()
    return _see_other(_local(back))


@actions.post("/submissions/{submission_id}/accept")
def accept_submission(
    submission_id: int,
    back: str = Form("/review"),
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Accept a submission."""
    workflow.review(db, user, submission_id, "accepted", "")
    db.commit()
    return _see_other(_local(back))


def _local(url: str) -> str:
    """A redirect target on this site only."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


@pages.get("/submissions/{submission_id}/file")
def submission_file(
    submission_id: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """A submitted workbook (logged as an official download)."""
    path, entry = workflow.submission_file(db, svc, user, submission_id)
    db.commit()
    return FileResponse(path, media_type=XLSX, filename=entry.filename)


@pages.get("/rollup")
def rollup(
    request: Request,
    form: str,
    year: int,
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """The official roll-up of the accepted submissions (or why it cannot be made)."""
    sha, issues = workflow.rollup(db, svc, user, form, year)
    db.commit()
    if sha is None:
        title = next((item.title for item in forms_for(user.region) if item.id == form), form)
        return render(
            request, "rollup_failed.html", status=422, user=user, issues=issues, form=form, title=title, year=year
        )
    return FileResponse(svc.store.path(sha), media_type=XLSX, filename=f"{form}-{year}-{user.region}-汇总.xlsx")


@actions.post("/rollup/submit")
def submit_rollup(
    form_id: str = Form(..., alias="form"),
    year: int = Form(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
    svc: Services = Depends(services),
) -> Response:
    """Submit the roll-up upwards."""
    workflow.submit_rollup(db, svc, user, form_id, year)
    db.commit()
    return _see_other("/history")


@pages.get("/history")
def history(
    request: Request,
    submitted: int = 0,
    already: int = 0,
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Submissions of the user's subtree, with their current decisions (``submitted``: the one just made;
    ``already``: the one a repeated submit found in force)."""
    entries = workflow.history(db, user)
    decisions = {entry.id: workflow.latest_review(db, entry.id) for entry in entries}
    shown = {entry.id: entry for entry in entries}
    return render(
        request,
        "history.html",
        user=user,
        entries=entries,
        decisions=decisions,
        submitted=shown.get(submitted),
        already=shown.get(already),
    )


@pages.get("/audit")
def audit_log(request: Request, user: User = Depends(current_user), db: Session = Depends(database)) -> Response:
    """The audit log of the province (administrators only)."""
    if user.role != Role.PROVINCE_ADMIN:
        raise Refused("只有省级管理员可以查看审计日志", 403)
    return render(request, "audit.html", user=user, entries=audit.entries(db, user.region))


@pages.get("/users")
def users_page(request: Request, user: User = Depends(current_user), db: Session = Depends(database)) -> Response:
    """The accounts of the province (administrators only)."""
    accounts.require_admin(user)
    return _users(request, db, user)


def _users(
    request: Request,
    db: Session,
    user: User,
    status: int = 200,
    message: str = "",
    typed: dict[str, str] | None = None,
) -> Response:
    """The accounts page, with a refusal's ``message`` and what was ``typed`` into the new account's form."""
    return render(
        request,
        "users.html",
        status=status,
        user=user,
        users=accounts.users_in(db, user.region),
        roles=list(Role),
        message=message,
        typed=typed or {"name": "", "role": Role.COUNTY_CLERK.value, "region": ""},
    )


@actions.post("/users")
def add_user(
    request: Request,
    name: str = Form(...),
    role: str = Form(...),
    region: str = Form(...),
    password: str = Form(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Add an account within the administrator's province; refused, the page again with why and what was typed
    (but the password)."""
    accounts.require_admin(user)  # any other role: 403, before anything of the page is shown
    try:
        accounts.add_user(db, user, name.strip(), role, region.strip(), password)
    except accounts.AccountError as exc:
        db.rollback()
        typed = {"name": name.strip(), "role": role, "region": region.strip()}
        return _users(request, db, user, status=exc.status, message=str(exc), typed=typed)
    except ScopeError:
        db.rollback()
        message = f"地区 {region.strip()} 不在本省（{user.region}）范围内"
        typed = {"name": name.strip(), "role": role, "region": region.strip()}
        return _users(request, db, user, status=404, message=message, typed=typed)
    db.commit()
    return _see_other("/users")


@actions.post("/users/{user_id}/disable")
def disable_user(user_id: int, user: User = Depends(current_user), db: Session = Depends(database)) -> Response:
    """Disable an account of the administrator's province (its sessions end)."""
    accounts.set_active(db, user, accounts.managed(db, user, user_id), False)
    db.commit()
    return _see_other("/users")


@actions.post("/users/{user_id}/enable")
def enable_user(user_id: int, user: User = Depends(current_user), db: Session = Depends(database)) -> Response:
    """Enable an account again."""
    accounts.set_active(db, user, accounts.managed(db, user, user_id), True)
    db.commit()
    return _see_other("/users")


@actions.post("/users/{user_id}/password")
def reset_password(
    request: Request,
    user_id: int,
    password: str = Form(...),
    user: User = Depends(current_user),
    db: Session = Depends(database),
) -> Response:
    """Give an account a new password: its sessions end (but this one, if the account is the administrator's)."""
    target = accounts.managed(db, user, user_id)
    accounts.set_password(db, user, target, password)
    db.commit()
    keep_own_session(request, user, target)
    return _see_other("/users")
