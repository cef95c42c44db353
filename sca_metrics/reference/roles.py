"""Who may do what: the three roles, the acting person, and the checks every write makes.

An `Actor` is the signed-in person with their grant (from the store), or the local
administrator when sign-in is off or the command line acts. The services that write — ingest,
withdraw, grant — take the actor and check it themselves, with the grant the store holds at
that moment (docs/security.md); hiding a button is not the check.

An identity is an e-mail address in one normal form (`normal_email`): trimmed, NFKC, case-folded,
a real address whose local part is plain ASCII and whose domain is ASCII or an internationalised
name of one script (IDNA) — so no two spellings that look the same (a Kelvin sign for a K, NFC
and NFD, a Cyrillic "а" for a Latin "a") can be two grants, or one person's grant another's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import idna

from sca_metrics.reference.i18n import t
from sca_metrics.reference.textnorm import TextRefused, accept, printable

ADMIN, UPLOADER, VIEWER = "admin", "uploader", "viewer"
ROLES = (ADMIN, UPLOADER, VIEWER)
LOCAL = "local"  # the name of the person at this computer when sign-in is off


MAX_EMAIL = 254  # RFC 5321's longest path
_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def normal_email(email: object) -> str:
    """An identity as it is stored and compared (see the module's text); BadGrant, saying why,
    when it is not a real address or could pass for another."""
    raw = str(email or "").strip()
    shown = printable(raw[:80])
    if not raw or len(raw) > 4 * MAX_EMAIL or raw.count("@") != 1:
        raise BadGrant("bad_email", email=shown)
    local, domain = raw.split("@")
    if not local.isascii():  # a Kelvin sign, a Cyrillic letter, a combining mark: look-alikes
        raise BadGrant("email_lookalike", email=shown)
    local = local.lower()
    try:
        ascii_domain = domain.lower() if domain.isascii() else _idna(domain)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise BadGrant("email_lookalike" if not domain.isascii() else "bad_email", email=shown) from None
    labels = ascii_domain.split(".")
    if (not _LOCAL_PART.fullmatch(local) or len(local) > 64 or len(labels) < 2
            or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit()):
        raise BadGrant("bad_email", email=shown)
    out = f"{local}@{ascii_domain}"
    if len(out) > MAX_EMAIL:
        raise BadGrant("bad_email", email=shown)
    return out


def _idna(domain: str) -> str:
    """An internationalised domain as ASCII (IDNA 2008, UTS 46 mapping: NFC, case-folded), each
    label written in one script only (a mixed label is a look-alike)."""
    for label in unicodedata.normalize("NFKC", domain).casefold().split("."):
        scripts = {unicodedata.name(ch, "?").split(" ")[0] for ch in label if ch.isalpha()}
        if len(scripts) > 1:
            raise ValueError(f"mixed scripts {sorted(scripts)}")
    return idna.encode(domain, uts46=True).decode("ascii").lower()


def local_name(name: str | None = None) -> str:
    """The local administrator's identity in the audit log: `local`, or `local (name)` when the
    command line names who is at the keyboard — never an address, so never a grant's person."""
    if name is None or name.strip() in ("", LOCAL):
        return LOCAL
    try:
        said = accept(name, "who", 100)
    except TextRefused as exc:
        raise BadGrant("bad_name", reason=exc.message("en")) from None
    return f"{LOCAL} ({said})"


@dataclass(frozen=True)
class Actor:
    """A person acting, with their role and (for an uploader) their departments; `is_local` for
    the administrator at this computer (no grant in the store to read again)."""

    email: str
    role: str
    departments: frozenset[str] = field(default_factory=frozenset)
    is_local: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.email, str) or not self.email.strip():
            raise Forbidden("no_identity")

    @classmethod
    def local(cls, name: str | None = None) -> Actor:
        """The administrator at this computer: sign-in off, or the command line (whoever can
        open the database file can change it anyway), named `local` or `local (name)`."""
        return cls(local_name(name), ADMIN, is_local=True)

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
        """Said in `lang`, a date in the language's own way (31/03/2026, 31 Mar 2026)."""
        from datetime import date

        from sca_metrics.reference.formatting import day

        said = {k: day(v, lang) if isinstance(v, date) else v for k, v in self.params.items()}
        return t(f"access.{self.key}", lang, **said)


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
    normal_email(email)
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
