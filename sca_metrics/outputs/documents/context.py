"""What a document is made from (the scores, the period, the language, the roadmap's tasks)
and who its figures come from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from sca_metrics.method.roadmap import Task
from sca_metrics.method.scoring import Scores
from sca_metrics.reference.bodies import default_bodies
from sca_metrics.reference.catalog import Catalog
from sca_metrics.reference.i18n import t
from sca_metrics.reference.units import reference_date


@dataclass(frozen=True)
class Context:
    """Everything a pack is made from."""

    catalog: Catalog
    by_period: dict[str, Scores]
    submissions: pd.DataFrame
    period: str
    lang: str = "vi"
    demo: bool = False
    generated: datetime = field(default_factory=datetime.now)
    tasks: tuple[Task, ...] = ()  # the roadmap's tasks (the proposals about the plan need them)

    @property
    def scores(self) -> Scores:
        return self.by_period[self.period]

    @property
    def previous(self) -> Scores | None:
        periods = list(self.by_period)
        i = periods.index(self.period)
        return self.by_period[periods[i - 1]] if i else None

    def source(self, period: str | None = None) -> str:
        return source_text(self.lang, self.demo, period or self.period)


def source_text(lang: str, demo: bool, period: str | int) -> str:
    """Who the figures come from, for the source line: the lead department as it was at the end
    of the period the figures describe — the last of a span ("2018–2026") — (data/bodies.csv);
    says so when the data are the demo's."""
    years = re.findall(r"\d{4}", str(period))
    body = default_bodies().lead_in_province(lang, reference_date(years[-1] if years else period))
    text = t("briefing.source", lang, body=body)
    return f"{text} ({t('briefing.illustrative', lang)})" if demo else text


Progress = Callable[..., None]  # told each step: a message key of [briefing] and its values
