"""Who is using this page: Streamlit's own sign-in (st.login / st.user, OpenID Connect configured
by the [auth] section of .streamlit/secrets.toml) and the grant the store holds for them.

Without an [auth] section, sign-in is off: the dashboard only listens on this computer and the
person at it acts as the administrator `local`. Every page calls `require` at its top; the
services that write check the same actor again.
"""

from __future__ import annotations

import ipaddress
import logging

import streamlit as st

from sca_metrics.reference.roles import ADMIN, UPLOADER, VIEWER, Actor, BadGrant, normal_email
from sca_metrics.reference.textnorm import printable
from sca_metrics.settings import current as current_settings
from views import cached
from views.session import run_state, t

LOOPBACK_NAMES = ("localhost",)
log = logging.getLogger(__name__)


def sign_in_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (one provider, flat form)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return False


def is_loopback(address: str | None) -> bool:
    """Whether a listening address reaches this computer only (None: every interface)."""
    if not address:
        return False
    if address in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def signed_in_email() -> str | None:
    """The verified identity claim of the signed-in person in its normal form, or None (none,
    unproven, or not a usable address: roles.normal_email)."""
    if not st.user.is_logged_in:
        return None
    if st.user.get("email_verified") is False:  # the provider says the address is unproven
        return None
    value = st.user.get(current_settings().identity_claim)
    if not value:
        return None
    try:
        return normal_email(str(value))
    except BadGrant:  # not an address, or one that could pass for another's: no access
        log.warning("sign-in refused: the identity claim is not a usable address (%s)", printable(value))
        return None


def actor() -> Actor | None:
    """The person using this run with their grant; None when signed out or without a grant."""
    state = run_state()
    if "actor" not in state:
        if not sign_in_configured():
            state["actor"] = Actor.local()
        else:
            email = signed_in_email()
            if email is None:
                state["actor"] = None
            else:
                found = cached.grants(*cached.version())
                row = found[found.email == email]
                state["actor"] = (Actor(email, row.role.iloc[0], frozenset(row.departments.iloc[0]))
                                  if len(row) else None)
    return state["actor"]


def allowed(who: Actor | None, role: str) -> bool:
    if who is None:
        return False
    if role == ADMIN:
        return who.is_admin
    if role == UPLOADER:
        return who.may_upload
    return who.role in (ADMIN, UPLOADER, VIEWER)


def require(role: str = VIEWER) -> Actor:
    """The page's own check (the menu hides what a role may not open, this refuses it): the
    actor, or the page stops with a message and shows nothing else."""
    who = actor()
    if not allowed(who, role):
        st.error(t("access.page_forbidden"), icon=":material/lock:")
        st.stop()
    assert who is not None
    return who
