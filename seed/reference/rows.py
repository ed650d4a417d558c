"""The reference data as `flask --app app seed reference` writes it (graph.loader.load_reference): the needs,
the six territories with their polygons, Montréal's postal areas and boroughs. Run time reads them from the graph."""

from __future__ import annotations

from seed.reference.taxonomy import NEEDS
from seed.reference.territories import (
    borough_rows,
    cohort_rows,
    postal_area_rows,
    session_theme_rows,
    territory_rows,
)


def need_row(need) -> dict:
    return {"id": need.id, "label_fr": need.label_fr, "label_en": need.label_en, "keywords": need.keywords}


def reference_rows() -> dict[str, list[dict]]:
    return {"territories": territory_rows(), "needs": [need_row(n) for n in NEEDS], "postal_areas": postal_area_rows(),
            "boroughs": borough_rows(), "cohorts": cohort_rows(), "session_themes": session_theme_rows()}
