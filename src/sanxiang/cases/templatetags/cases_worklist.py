"""The officer's worklist on the home page: the web app's home view stays as it is, and the
template asks the cases app for the rows."""

from django import template

from sanxiang.cases.selectors import DEADLINE_STATE_LABELS, officer_worklist

register = template.Library()


@register.inclusion_tag("cases/_worklist.html", takes_context=True)
def worklist(context) -> dict:
    user = context["request"].user
    rows = officer_worklist(user=user)
    return {"rows": rows, "labels": DEADLINE_STATE_LABELS, "has_officer": user.officer_id is not None}
