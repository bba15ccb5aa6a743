"""The audit log: every upload, submission, return, acceptance, official download and account change,
appended with who, when, what and its hash. Nothing here (or anywhere) updates or deletes a line."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from cpsdk_server.models import AuditEntry, User, now

ACTIONS = {
    "upload": "上传",
    "submit": "报送",
    "return": "退回",
    "accept": "通过",
    "download": "下载正式工作簿",
    "rollup-submit": "汇总报送",
    "publish": "公示",
    "account-add": "新增账户",
    "account-change": "修改账户",
    "account-disable": "停用账户",
    "account-enable": "启用账户",
    "account-password": "重置密码",
}


def append(
    db: Session,
    user: User | None,
    action: str,
    object_type: str,
    object_id: object,
    region: str,
    sha256: str = "",
    detail: str = "",
) -> None:
    """Append one line to the log, in the caller's transaction (so it commits with what it records)."""
    db.add(
        AuditEntry(
            at=now(),
            user_id=user.id if user is not None else None,
            user_name=user.name if user is not None else "(命令行)",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            region=region,
            sha256=sha256,
            detail=detail[:2000],
        )
    )


def entries(db: Session, region: str, limit: int = 500) -> list[AuditEntry]:
    """The newest lines about ``region``'s subtree."""
    query = select(AuditEntry).where(AuditEntry.region.startswith(region)).order_by(AuditEntry.id.desc())
    return list(db.scalars(query.limit(limit)))
