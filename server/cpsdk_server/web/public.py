"""The public disclosure: published forms, without login."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from cpsdk_server import workflow
from cpsdk_server.disclosure import public_view
from cpsdk_server.models import Publication
from cpsdk_server.scopes import ScopeError
from cpsdk_server.web.deps import database, optional_user, services
from cpsdk_server.web.templating import render
from cpsdk_server.workflow import Services

public = APIRouter(include_in_schema=False)


@public.get("/public")
def publications(request: Request, db: Session = Depends(database), user: object = Depends(optional_user)) -> Response:
    """Every published disclosure."""
    return render(request, "public_list.html", user=user, entries=workflow.publications(db))


@public.get("/public/{publication_id}")
def publication(
    request: Request,
    publication_id: int,
    db: Session = Depends(database),
    svc: Services = Depends(services),
    user: object = Depends(optional_user),
) -> Response:
    """One published disclosure: its public fields."""
    entry = db.get(Publication, publication_id)
    if entry is None:
        raise ScopeError(str(publication_id))
    view = public_view(entry.form_id, svc.store.path(entry.sha256), entry.sha256)
    return render(request, "public.html", user=user, entry=entry, view=view)
