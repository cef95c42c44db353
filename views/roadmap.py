"""Roadmap (lộ trình): the departments' tasks in the programme's order, what is wrong with the plan,
each domain's readiness beside its tasks and budget, and the comments on the draft with the lead department's
responses (administrators record them here)."""

from __future__ import annotations

import functools
from datetime import date

import pandas as pd
import streamlit as st

from sca_metrics.outputs import roadmap_figures, selection
from sca_metrics.reference import formatting, i18n, vocabulary
from sca_metrics.services import exports, roadmap
from sca_metrics.services.readiness import level_name
from views import access, cached, session, widgets

access.require()

lang = session.lang()
st.title(session.t("roadmap.title"))
st.caption(session.t("roadmap.intro"))

by_period = widgets.scores_or_stop()
path, version = cached.version()
period = session.period_picker(list(by_period), "roadmap")
tasks_frame, comments = cached.roadmap_frames(path, version, period)
catalog = cached.catalog()
tasks, flags = cached.roadmap(path, version, period)
if not tasks:
    st.info(session.t("roadmap.no_tasks", period=period), icon=":material/info:")


def names(terms: tuple[vocabulary.Term, ...]):
    return lambda code, lang=lang: vocabulary.term(terms, code).name(lang)


left, mid, right, last = st.columns(4)
departments = left.multiselect(session.t("roadmap.department"), sorted({k.lead_department for k in tasks}),
                               select_all=False, key="roadmap_department",
                               format_func=widgets.department_format(lang),
                               placeholder=session.t("roadmap.all"))
areas = mid.multiselect(session.t("roadmap.area"), list(vocabulary.AREA_CODES) + [roadmap.OUTSIDE],
                        select_all=False, key="roadmap_area", format_func=names(vocabulary.AREA_CHOICES),
                        placeholder=session.t("roadmap.all"))
phases = right.multiselect(session.t("roadmap.phase"), list(vocabulary.PHASE_CODES), select_all=False,
                           key="roadmap_phase",
                           format_func=names(vocabulary.PHASES), placeholder=session.t("roadmap.all"))
statuses = last.multiselect(session.t("roadmap.status"), list(vocabulary.TASK_STATUS_CODES),
                            select_all=False, key="roadmap_status",
                            format_func=names(vocabulary.TASK_STATUSES),
                            placeholder=session.t("roadmap.all"))
shown = [k for k in tasks if (not departments or k.lead_department in departments)
         and (not areas or k.area in areas) and (not phases or k.phase in phases)
         and (not statuses or k.status in statuses)]
flagged = {f.task for f in flags if f.task is not None}

roadmap_flags = [f for f in flags if f.task is None]
st.caption(session.t("roadmap.summary", tasks=len(tasks), shown=len(shown), flagged=len(flagged),
                     plan=len(roadmap_flags)))


def pick(chosen) -> None:
    """A bar clicked: its task in detail just below the timeline, scrolled into view."""
    code = selection.picked(chosen, [k.code for k in shown])
    if code is not None and st.session_state.get("roadmap_task") != code:
        st.session_state["roadmap_task"] = code
        session.run_state()["roadmap_scroll"] = True


if shown:
    st.caption(session.t("roadmap.click_hint"))
    # PAGE_BARS tasks at a time, in the timeline's order (a national plan has hundreds)
    ordered = roadmap.timeline(shown)
    part = ordered[widgets.page(len(ordered), "roadmap_timeline_page", widgets.PAGE_BARS,
                                "widgets.page_tasks")]
    widgets.chart(lambda: roadmap_figures.timeline(part, lang, int(period), flagged), key="roadmap_timeline",
                  period=period, unit=None, depends=(tuple(k.code for k in part),), pick=pick,
                  phone=lambda: roadmap_figures.timeline(part, lang, int(period), flagged, phone=True))


def task_detail() -> None:
    """One task in detail: chosen here, or by clicking its bar (then scrolled into view)."""
    choose, task_names = session.t("roadmap.task_pick"), {k.code: k.name for k in tasks}
    task_pick = st.selectbox(session.t("roadmap.task_detail"),
                             [None, *[k.code for k in roadmap.timeline(shown)]], key="roadmap_task",
                             placeholder=choose,
                             format_func=lambda c: choose if c is None else f"{c} · {task_names[c]}")
    if task_pick is None:
        return
    task = next(k for k in tasks if k.code == task_pick)
    detail = {
        session.t("roadmap.col_task"): task.code, session.t("roadmap.col_name"): task.name,
        session.t("roadmap.area"): roadmap.area_name(task.area, lang),
        session.t("roadmap.phase"): vocabulary.term(vocabulary.PHASES, task.phase).name(lang),
        session.t("roadmap.col_years"): f"{task.start_year}–{task.end_year}",
        session.t("roadmap.department"): widgets.department_label(task.lead_department),
        session.t("roadmap.col_partners"): ", ".join(task.partners) or "–",
        session.t("roadmap.col_project"): task.sector_project or "–",
        session.t("roadmap.col_budget_total"): formatting.number(task.budget, lang, 1, fixed=True),
        session.t("roadmap.col_source"): names(vocabulary.BUDGET_SOURCES)(task.budget_source)
        if task.budget_source else "–",
        session.t("roadmap.status"): vocabulary.term(vocabulary.TASK_STATUSES, task.status).name(lang),
        session.t("roadmap.col_note"): task.note or "–",
        session.t("roadmap.col_depends"): ", ".join(task.depends_on) or "–",
        session.t("roadmap.col_indicators"): ", ".join(task.indicators) or "–",
    }
    widgets.frame(pd.DataFrame({session.t("roadmap.col_field"): list(detail),
                                session.t("roadmap.col_value"): list(detail.values())}))
    mine = [f for f in flags if f.task == task.code]
    for flag in mine:  # the task's own flags, with their reasons (the department's text as text)
        st.warning(widgets.literal(flag.message(lang, catalog)), icon=":material/flag:")


with st.container(key="roadmap_task_detail"):
    task_detail()
if session.run_state().pop("roadmap_scroll", False):  # a bar was clicked: bring its task into view
    st.html("""<script>
(() => { let tries = 0; const go = () => {
  const box = window.parent.document.querySelector('.st-key-roadmap_task_detail') ||
              document.querySelector('.st-key-roadmap_task_detail');
  if (box) { box.scrollIntoView({behavior: 'smooth', block: 'start'}); }
  else if (tries++ < 40) { setTimeout(go, 50); }
}; setTimeout(go, 100); })();
</script>""", unsafe_allow_javascript=True)

st.subheader(session.t("roadmap.flags"))
st.caption(session.t("roadmap.flags_help"))
shown_codes = {k.code for k in shown}
on_tasks = [f for f in flags if f.task is not None and f.task in shown_codes]
on_roadmap = [f for f in flags if f.task is None]


def flag_name(code: str, n: int) -> str:
    return f"{session.t(f'roadmap.flag_name_{code}')} ({formatting.number(n, lang)})"


def reasons(found: list, key: str) -> None:
    """The flags' reasons, a line each and whole (they carry the departments' own text, shown as
    text), a page at a time."""
    page = widgets.paged(pd.Series(found, dtype=object), key)
    lines = [f"- {widgets.literal(f.message(lang, catalog))}" for f in page]
    st.markdown("\n".join(lines))


# on the tasks first, whole: few and each needs someone to act; then the plan's own, folded by
# kind and, for targets without a task (dozens), by domain
st.markdown(f"**{session.t('roadmap.flags_tasks', n=formatting.number(len(on_tasks), lang))}**")
if not on_tasks:
    st.caption(session.t("roadmap.no_task_flags"))
for code in roadmap.TASK_FLAGS:
    mine = [f for f in on_tasks if f.code == code]
    if mine:
        st.markdown(f"*{flag_name(code, len(mine))}*")
        reasons(mine, f"roadmap_flags_page_{code}")
st.markdown(f"**{session.t('roadmap.flags_roadmap', n=formatting.number(len(on_roadmap), lang))}**")
for code in roadmap.ROADMAP_FLAGS:
    mine = [f for f in on_roadmap if f.code == code]
    if not mine:
        continue
    groups = roadmap.by_domain(mine, catalog) if code == "unplanned_target" else {None: mine}
    for area, found in groups.items():
        label = flag_name(code, len(found)) if area is None else \
            f"{session.t(f'roadmap.flag_name_{code}')} — {session.domain_name(area)} " \
            f"({formatting.number(len(found), lang)})"
        box = widgets.opened(label, f"roadmap_flags_{code}_{area or 'all'}", ":material/flag:")
        if box is not None:  # made only while open (a national plan has thousands of flags)
            with box:
                reasons(found, f"roadmap_flags_page_{code}_{area or 'all'}")

st.subheader(session.t("roadmap.by_area"))
standing = roadmap.standing(by_period[period], catalog).set_index("area")
ahead = standing[standing.ahead.fillna(0) > 0]
floor_layer, floor_level = roadmap.lowest_layer(standing)
if floor_layer is None:
    st.caption(session.t("roadmap.floor_unknown"))
else:
    st.caption(session.t("roadmap.floor", layer=roadmap.layer_name(floor_layer, lang), level=floor_level,
                         n=len(ahead)))
cap = st.toggle(session.t("roadmap.cap"), key="roadmap_cap", help=session.t("roadmap.cap_help"))
delayed = {f.task for f in flags if f.code == "delayed"}


def level_text(lv) -> str:
    return "–" if pd.isna(lv) else f"{int(lv)} — {level_name(int(lv), lang)}"


def against_foundations(area: str) -> str:
    row = standing.loc[area] if area in standing.index else None
    if row is None or pd.isna(row.floor_level) or pd.isna(row.level):
        return "–"
    key = "roadmap.ahead" if row.ahead > 0 else "roadmap.not_ahead"
    return session.t(key, n=int(row.ahead), layer=roadmap.layer_name(row.floor_layer, lang),
                     level=int(row.floor_level))


rows = []
for area, mine in roadmap.by_area(tasks).items():
    row = standing.loc[area] if area in standing.index else None
    spent = {p: sum(k.budget or 0 for k in mine if k.phase == p) for p in vocabulary.PHASE_CODES}
    level = {session.t("overview.level"): level_text(None if row is None else row.level)}
    if cap:  # the scheme option, side by side with the score's own level
        level[session.t("roadmap.col_capped")] = "–" if row is None or pd.isna(row.capped_level) else \
            level_text(row.capped_level)
    # the decisive columns first — readiness, what is planned, what it costs by phase —, the
    # area pinned; the longer sentence against the foundations last
    rows.append({
        session.t("roadmap.area"): roadmap.area_name(area, lang),
        session.t("roadmap.col_score"): None if row is None else row.score,
        **level,
        session.t("roadmap.col_gap"): None if row is None else row.gap,
        session.t("roadmap.col_tasks"): len(mine),
        session.t("roadmap.col_delayed"): sum(k.code in delayed for k in mine),
        **{session.t("roadmap.col_budget", phase=vocabulary.term(vocabulary.PHASES, p).name(lang)): v
           for p, v in spent.items()},
        session.t("roadmap.col_foundations"): against_foundations(area),
    })
table = pd.DataFrame(rows)
money = [session.t("roadmap.col_budget", phase=phase.name(lang)) for phase in vocabulary.PHASES]
st.caption(session.t("roadmap.budget_unit"))
widgets.table(table, numbers={session.t("roadmap.col_score"): 1, session.t("roadmap.col_gap"): 1,
                              **{c: 1 for c in money}},
              help={session.t("roadmap.col_score"): session.t("roadmap.score_help"),
                    session.t("roadmap.col_gap"): session.t("roadmap.gap_help"),
                    session.t("roadmap.col_foundations"): session.t("roadmap.foundations_help")},
              column_config={session.t("roadmap.area"): st.column_config.TextColumn(width="medium",
                                                                                     pinned=True)},
              height=35 * (len(table) + 1) + 3)  # every area without scrolling
if tasks:
    by_source = roadmap.budget(tasks, by=("budget_source",))
    st.caption(session.t("roadmap.by_source", parts="; ".join(
        f"{vocabulary.term(vocabulary.BUDGET_SOURCES, r.budget_source).name(lang)}: "
        f"{formatting.number(r.budget, lang, 1, fixed=True)}" for r in by_source.itertuples())))

# The roadmap's two deliverables, made when their button is clicked (the report dated that day)
inputs = cached.inputs(path, version, period, lang)
left, right = st.columns(2)
for column, key, button in ((left, "roadmap_report", "roadmap_docx"),
                            (right, "roadmap_data", "roadmap_xlsx")):
    deliverable = exports.DELIVERABLES[key]
    (name,) = deliverable.file_names(inputs)
    column.download_button(
        session.t(deliverable.label), functools.partial(cached.deliverable, path, version, period, lang, key,
                                                        date.today().isoformat(), name),
        file_name=name, mime=exports.mime(name), key=button, on_click="ignore",
        icon=":material/description:" if key == "roadmap_report" else ":material/download:",
        type="primary" if key == "roadmap_report" else "secondary",
        help=session.t("roadmap.report_docx_help") if key == "roadmap_report" else None)

st.subheader(session.t("roadmap.comments"))
st.caption(session.t("roadmap.comments_help"))
if comments.empty:
    st.info(session.t("roadmap.no_comments"))
    st.stop()
answers = {"accepted": session.t("roadmap.accepted"), "explained": session.t("roadmap.explained")}
unanswered = session.t("roadmap.unanswered")
# a response recorded on an earlier return of the same comment is carried over, and says so
carried = [isinstance(r, str) and pd.notna(on) and int(on) != int(sid) for r, on, sid in zip(
    comments.response, comments.answered_on, comments.submission_id, strict=True)]
responses = [(answers.get(r, unanswered) + (" · " + session.t("roadmap.carried_over", version=int(v))
                                             if moved else ""))
             if isinstance(r, str) else unanswered
             for r, moved, v in zip(comments.response, carried, comments.answered_version, strict=True)]
# the decisive columns first (who, what, how it was answered), the rest scrolls
widgets.frame(widgets.paged(pd.DataFrame({
    session.t("col.department"): widgets.department_names(comments.department),
    session.t("roadmap.col_comment"): comments.comment,
    session.t("roadmap.col_response"): responses,
    session.t("roadmap.col_explanation"): comments.explanation,
    session.t("roadmap.col_proposal"): comments.proposal,
    session.t("roadmap.col_section"): comments.section,
}), "roadmap_comments_page"), column_config={
    session.t("col.department"): st.column_config.TextColumn(width="medium", pinned=True),
    session.t("roadmap.col_comment"): st.column_config.TextColumn(width="large"),
    session.t("roadmap.col_explanation"): st.column_config.TextColumn(width="medium"),
})
actor = access.actor()
if actor is None or not actor.is_admin:
    st.stop()

# One comment at a time: choosing it preselects its current response (nothing when it has none),
# and what is saved is exactly what the form shows — a refused save leaves the form as it was.
current = {(int(s), int(r)): (resp if isinstance(resp, str) else None, expl if isinstance(expl, str) else "")
           for s, r, resp, expl in zip(comments.submission_id, comments.sheet_row, comments.response,
                                       comments.explanation, strict=True)}
labels = {key: f"{widgets.department_label(d)} · {c[:80]}{'…' if len(c) > 80 else ''}"
          for key, d, c in zip(current, comments.department, comments.comment, strict=True)}
said = dict(zip(current, comments.comment, strict=True))
answered = {key: (answer, by, when) for key, answer, by, when in zip(
    current, responses, comments.responded_by, comments.responded_at, strict=True)}
if st.session_state.get("roadmap_comment") not in current:
    st.session_state["roadmap_comment"] = next(iter(current))


def prefill() -> None:
    """The chosen comment's current response and explanation, into the form."""
    chosen = st.session_state["roadmap_comment"]
    st.session_state["roadmap_response"], st.session_state["roadmap_explanation"] = current[chosen]
    st.session_state["_roadmap_prefilled"] = chosen


if (st.session_state.get("_roadmap_prefilled") != st.session_state["roadmap_comment"]
        or "roadmap_response" not in st.session_state):  # another comment, or the page left and back
    prefill()


def save(language: str) -> None:
    """The button's callback: records the form's response as it stands, or says why not."""
    chosen, response = st.session_state["roadmap_comment"], st.session_state["roadmap_response"]
    explanation = st.session_state["roadmap_explanation"] or ""
    if response is None:
        st.session_state["roadmap_refused"] = widgets.Refusal(i18n.t("roadmap.response_needed", language),
                                                              ":material/error:")
        return
    ok, _, refusal = widgets.attempt(lambda db: roadmap.respond(db, actor, chosen[0], chosen[1], response,
                                                              explanation), language)
    if not ok:
        st.session_state["roadmap_refused"] = refusal
        return
    name = i18n.t(f"roadmap.{response}", language)
    st.session_state["roadmap_saved"] = i18n.t("roadmap.saved_response", language, response=name,
                                               comment=widgets.literal(said[chosen][:80]))


with st.container(border=True, key="roadmap_respond"):
    st.markdown(f"**{session.t('roadmap.respond')}**")
    chosen = st.selectbox(session.t("roadmap.col_comment"), list(current), format_func=labels.get,
                          key="roadmap_comment")
    answer, by, when = answered[chosen]
    st.caption(session.t("roadmap.answered", response=answer, who=widgets.literal(by),
                                  when=formatting.day(when, lang))
               if isinstance(by, str) else session.t("roadmap.not_answered"))
    st.radio(session.t("roadmap.col_response"), list(roadmap.RESPONSES), horizontal=True,
             format_func=answers.get, key="roadmap_response")
    st.text_area(session.t("roadmap.col_explanation"), key="roadmap_explanation",
                 max_chars=roadmap.MAX_EXPLANATION,
                 help=session.t("roadmap.explanation_help"))
    st.button(session.t("roadmap.save"), type="primary", key="roadmap_save", on_click=save, args=(lang,),
              icon=":material/save:")
    refused = st.session_state.pop("roadmap_refused", None)
    if refused is not None:
        st.error(refused.text, icon=refused.icon)
    widgets.show_flash("roadmap_saved", ":material/check_circle:")
