"""Date fields render the ISO form that <input type=date> accepts, whatever the language: a
localised date would be discarded by the browser and the field sent empty."""

import datetime as dt

from django.utils import translation

from sanxiang.cases.forms import step_form_class, step_initial
from sanxiang.procedure.catalog import step_get


def test_a_prefilled_step_date_is_rendered_as_yyyy_mm_dd():
    step = step_get("ordinary", "record_collective_discussion")
    form_class = step_form_class(step, agency_officers=[], case_officers=[])
    initial = step_initial(step, today=dt.date(2026, 3, 25), case_officer_ids=[], proposed={})
    for language in ("zh-hans", "en"):
        with translation.override(language):
            html = str(form_class(initial=initial, auto_id="id_%s")["held_on"])
        assert 'type="date"' in html and 'value="2026-03-25"' in html, html
