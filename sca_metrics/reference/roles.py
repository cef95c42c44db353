"""Who may do what: the three roles, the acting person, and the checks every write makes.

An `Actor` is the signed-in person with their grant (from the store), or the local
administrator when sign-in is off or the command line acts. The services that write — ingest,
withdraw, grant — take the actor and check it themselves; hiding a button is not the check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sca_metrics.reference.i18n import t

ADMIN, UPLOADER, VIEWER = "admin", "uploader", "viewer"
ROLES = (ADMIN, UPLOADER, VIEWER)
LOCAL = "local"  # the name of the person at this computer when sign-in is off


def normal_email(email: str) -> str:
    """An identity as it is stored and compared: the email claim, trimmed and lower-cased."""
    return email.strip().lower()


@dataclass(frozen=True)
class Actor:
    """A person acting, with their role and (for an uploader) their departments."""

    email: str
    role: str
    departments: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def local(cls, name: str = LOCAL) -> Actor:
        """The administrator at this computer: sign-in off, or the command line (whoever can
        open the database file can change it anyway)."""
        return cls(name, ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def may_upload(self) -> bool:
        return self.role == ADMIN or (self.role == UPLOADER and bool(self.departments))

    def can_upload(self, department: str | None) -> bool:
        return self.is_admin or (self.role == UPLOADER and department in self.departments)

    def upload_departments(self, every: Iterable[str]) -> list[str]:
        """Of `every` department, those this person may upload for, in that order."""
        return [d for d in every if self.can_upload(d)]


class AccessError(Exception):
    """A refusal, said in either language (`access.<key>` in the translations)."""

    def __init__(self, key: str, **params: object):
        self.key, self.params = key, params
        super().__init__(t(f"access.{key}", "en", **params))

    def message(self, lang: str = "vi") -> str:
        return t(f"access.{self.key}", lang, **self.params)


class Forbidden(AccessError, PermissionError):
    """What this person's role does not allow."""


class BadGrant(AccessError, ValueError):
    """A grant that cannot be given as asked."""


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise Forbidden("admin_only", who=actor.email)


def require_upload(actor: Actor, department: str | None) -> None:
    if not actor.can_upload(department):
        raise Forbidden("upload_department", who=actor.email, department=department or "–")


def check_grant(email: str, role: str, departments: Iterable[str], known: Iterable[str]) -> list[str]:
    """The departments of a valid grant, sorted; BadGrant, saying why, when it is not one."""
    chosen = sorted({d.strip().upper() for d in departments if d.strip()})
    if "@" not in email and email != LOCAL:
        raise BadGrant("bad_email", email=email)
    if role not in ROLES:
        raise BadGrant("bad_role", role=role, roles=", ".join(ROLES))
    if role == UPLOADER and not chosen:
        raise BadGrant("uploader_needs_department")
    if role != UPLOADER and chosen:
        raise BadGrant("departments_only_for_uploaders")
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise BadGrant("unknown_department", departments=", ".join(unknown))
    return chosen
