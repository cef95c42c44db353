"""Upload a return (check → preview of the changes → confirm) and download templates."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from sca_metrics import settings
from sca_metrics.reference import formatting, i18n, problems, units, vocabulary
from sca_metrics.reference.problems import errors, warnings
from sca_metrics.reference.roles import UPLOADER
from sca_metrics.services import upload
from sca_metrics.services.database import StoreError
from sca_metrics.services.upload import CheckedReturn, preview
from views import access, cached, session, widgets

who = access.require(UPLOADER)
lang = session.lang()
catalog = cached.catalog()
st.title(session.t("upload.title"))
st.write(session.t("upload.intro"))

widgets.show_flash("upload_flash", ":material/check_circle:")
failed = st.session_state.pop("upload_failed", None)
if failed:
    st.error(failed, icon=":material/error:")

codes = who.upload_departments(d.code for d in catalog.departments)  # their own departments
left, right = st.columns(2)
department = left.selectbox(session.t("upload.department"), codes,
                            format_func=widgets.department_format(lang), key="up_department")
periods = [str(y) for y in range(vocabulary.PERIOD_FIRST, vocabulary.PERIOD_LAST + 1)]
this_year = str(min(max(date.today().year - 1, vocabulary.PERIOD_FIRST), vocabulary.PERIOD_LAST))
period = right.selectbox(session.t("upload.period"), periods, index=periods.index(this_year),
                         key="up_period")


path, version = cached.version()


def department_roadmap(period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The department's plan as of `period`: its tasks and its comments (with their responses)."""
    tasks, comments = cached.roadmap_frames(path, version, period)
    return tasks[tasks.department == department], comments[comments.department == department]


def _template() -> bytes:
    """The template, made when its button is clicked: it carries the department's current tasks
    and comments, so a return sent back as downloaded leaves the plan as it is."""
    return upload.template_bytes(catalog, department, period, department_roadmap(period))


indicators = catalog.for_department(department)
carried_tasks, carried_comments = department_roadmap(period)
left, right = st.columns([1, 2])
left.download_button(
    session.t("upload.download"), _template, file_name=upload.template_file_name(department, period),
    type="primary",
    icon=":material/download:", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore", key="up_template")
right.caption(session.t("upload.n_indicators", n=len(indicators)))
right.caption(session.t("upload.carried", tasks=len(carried_tasks), comments=len(carried_comments),
                        period=period) if len(carried_tasks) or len(carried_comments) else
              session.t("upload.carried_none"))
catalog_box = widgets.opened(session.t("upload.catalog_table"), "up_catalog", ":material/list:")
if catalog_box is not None:
    with catalog_box:
        widgets.table(pd.DataFrame({
            session.t("method.col_code"): [i.code for i in indicators],
            session.t("method.col_name"): [i.name(lang) for i in indicators],
            session.t("method.col_domain"): [session.domain_name(i.domain) for i in indicators],
            session.t("method.col_driver"): [vocabulary.term(vocabulary.DRIVERS, i.driver).name(lang)
                                            for i in indicators],
            session.t("method.col_unit"): [i.unit(lang) for i in indicators],
            session.t("method.col_direction"): ["↓" if i.direction == "lower" else "↑"
                                               for i in indicators],
            session.t("method.col_target_2025"): [i.target_2025 for i in indicators],
        }), numbers={session.t("method.col_target_2025"): 2})

st.divider()
attempt = st.session_state.setdefault("upload_attempt", 0)
file = widgets.file_uploader(session.t("upload.file"), ["xlsx"], f"upload_file_{attempt}",
                             settings.current().upload_mb)
if file is None:
    st.stop()

data = file.getvalue()
subs = cached.submissions(path, version)
digest = upload.sha256(data)
same = subs[(subs.sha256 == digest) & (subs.status == "current")]
if len(same):
    same = same.iloc[0]
    st.info(session.t("upload.duplicate", version=same.version,
                     department=widgets.department_label(same.department), period=same.period),
            icon=":material/content_copy:")
    st.stop()

def checked_once(digest: str) -> CheckedReturn:
    """The file checked once per upload, not at every rerun the page makes while the person
    reads the preview: kept in the session with what it was checked against (content,
    department, period, data version), checked again only when one of them changes."""
    key = (digest, department, period, version)
    kept = st.session_state.get("_upload_checked")
    if kept is None or kept[0] != key:
        kept = (key, upload.check(data, catalog, department, period, cached.task_graph(path, version)))
        st.session_state["_upload_checked"] = kept
    return kept[1]


checked = checked_once(digest)


def show_problems(found: list, name: str) -> None:
    """The first problems as a table, the count, and every one of them as CSV/XLSX (built
    only when clicked): a return with 50,000 bad values stays one page."""
    listed = problems.ordered(found)
    if len(listed) > problems.SHOWN:
        st.caption(session.t("upload.shown_first", shown=session.num(problems.SHOWN),
                            n=session.num(len(listed)), count=len(listed)))
    widgets.table(problems.table(listed[: problems.SHOWN], lang))
    widgets.downloads(lambda: problems.table(listed, lang), name)


bad = errors(checked.problems)
if bad:
    st.error(session.t("upload.rejected", file=widgets.literal(file.name), n=session.num(len(bad)),
                       count=len(bad)), icon=":material/error:")
    show_problems(checked.problems, f"problems_{department}_{period}")
    st.stop()

notes = warnings(checked.problems)
if notes:
    with st.expander(session.t("upload.warnings", n=session.num(len(notes)), count=len(notes)),
                     icon=":material/warning:"):
        show_problems(notes, f"warnings_{department}_{period}")

st.success(session.t("upload.valid", n_values=checked.n_values, n_expected=checked.n_expected),
           icon=":material/fact_check:")
obs = cached.observations(path, version)
wards = cached.unit_observations(path, version)
current = upload.current_values(obs, wards, catalog, department, period)
previous = subs[(subs.department == department) & (subs.period.astype(str) == period)
                & (subs.status == "current")]
st.caption(session.t("upload.replaces", version=int(previous.version.iloc[0])) if len(previous)
           else session.t("upload.first"))

diff = preview.changes(checked, current)
st.markdown(session.t("upload.summary", **preview.summary(diff)))
show_all = st.toggle(session.t("upload.show_unchanged"), key="up_show_unchanged")
shown = diff if show_all else diff[diff.change != preview.UNCHANGED]
names = {i.code: i.name(lang) for i in indicators}
quality = {q.code: q.name(lang) for q in vocabulary.QUALITY_FLAGS}
unit_names = {u.code: u.name(lang) for u in units.default_units().units}
columns = {
    session.t("method.col_code"): shown.indicator,
    session.t("method.col_name"): shown.indicator.map(names),
    session.t("pilot.col_unit"): shown.unit.map(unit_names),
    session.t("upload.col_change"): shown.change.map(lambda c: session.t(f"upload.change_{c}")),
    session.t("upload.col_old"): [session.num(v, 2) for v in shown.old_value.astype(float)],
    session.t("upload.col_new"): [session.num(v, 2) for v in shown.new_value.astype(float)],
    session.t("upload.col_old_quality"): shown.old_quality.map(quality).fillna("–"),
    session.t("upload.col_new_quality"): shown.new_quality.map(quality).fillna("–"),
    session.t("upload.col_evidence"): shown.new_evidence.fillna("–"),
    session.t("upload.col_cell"): shown.cell.fillna("–"),
}
if not (shown.unit != "").any():
    del columns[session.t("pilot.col_unit")]
widgets.table(pd.DataFrame(columns))

# The plan: what the roadmap of the period will show differently (tasks and comments)
st.subheader(session.t("upload.roadmap_title"))
roadmap_diff = preview.roadmap_changes(checked, carried_tasks, carried_comments,
                                 *department_roadmap(str(int(period) - 1)))
counts = preview.roadmap_summary(roadmap_diff)
st.markdown(session.t("upload.roadmap_summary_tasks", **counts[preview.TASK]) + "  \n"
            + session.t("upload.roadmap_summary_comments", **counts[preview.COMMENT]))
roadmap_shown = roadmap_diff if show_all else roadmap_diff[roadmap_diff.change != preview.UNCHANGED]
if len(roadmap_shown):
    widgets.frame(pd.DataFrame({
        session.t("upload.col_kind"): roadmap_shown.kind.map(lambda k: session.t(f"upload.kind_{k}")),
        session.t("upload.col_roadmap_key"): roadmap_shown.key,
        session.t("upload.col_roadmap_text"): roadmap_shown.text,
        session.t("upload.col_change"): roadmap_shown.change.map(lambda c: session.t(f"upload.change_{c}")),
        session.t("upload.col_fields"): [preview.describe(r.fields, r.before, r.after, lang)
                                         for r in roadmap_shown.itertuples()],
        session.t("upload.col_cell"): roadmap_shown.cell,
    }), column_config={session.t("upload.col_roadmap_text"): st.column_config.TextColumn(width="medium"),
                       session.t("upload.col_fields"): st.column_config.TextColumn(width="large")})
# what the current return of this period holds: the plan as of the period, when it is this one's
held = tuple(int((frame.period.astype(str) == period).sum()) for frame in (carried_tasks, carried_comments))
removing = upload.roadmap_removed(checked, held)
remove_roadmap = False
if removing:
    for problem in removing:
        st.warning(problem.message(lang), icon=":material/delete_sweep:")
    gone = [session.t(f"upload.remove_{p.code.split('_')[1]}", n=int(p.params["n"])) for p in removing]
    remove_roadmap = st.checkbox(session.t("upload.remove_roadmap", what=session.t("upload.and").join(gone),
                                        period=period), key=f"up_remove_roadmap_{attempt}")


def save(data: bytes, file_name: str, department: str, period: str, remove_roadmap: bool) -> None:
    """Runs as the button's callback, before the rerun that shows its outcome. The return is
    stored under the signed-in person, and the store checks that they may submit it."""
    try:
        result = upload.save(cached.db(), data, file_name, catalog, who, department, period, remove_roadmap)
    except StoreError as exc:  # busy, read-only, full disk: nothing was saved
        st.session_state["upload_failed"] = widgets.literal(exc.message(lang))
        return
    cached.wrote()
    if result.status == upload.ACCEPTED:
        st.session_state["upload_flash"] = i18n.t(
            "upload.saved", lang, department=widgets.department_label(department, lang),
            period=period, version=result.version)
        st.session_state["upload_attempt"] = attempt + 1  # a fresh, empty uploader
    elif result.status == upload.DUPLICATE:  # the same file was saved meanwhile
        st.session_state["upload_flash"] = i18n.t(
            "upload.duplicate", lang, version=result.version,
            department=widgets.department_label(department, lang), period=period)
    else:
        refused = errors(result.problems)
        st.session_state["upload_failed"] = " ".join([i18n.t(
            "upload.rejected", lang, file=widgets.literal(file_name),
            n=formatting.number(len(refused), lang), count=len(refused)),
            *(widgets.literal(p.message(lang)) for p in refused[:1])])


writable = cached.db().can_write()
if not writable:
    st.warning(widgets.literal(StoreError("read_only", cached.db_path()).message(lang)),
               icon=":material/lock:")
st.button(session.t("upload.confirm"), type="primary", icon=":material/save:", key="up_confirm",
          on_click=save, args=(data, file.name, department, period, remove_roadmap),
          disabled=not writable or (bool(removing) and not remove_roadmap))
