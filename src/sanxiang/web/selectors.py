"""What each role's home page needs to show."""

import datetime as dt

from sanxiang.accounts.models import Role, User
from sanxiang.registry import selectors as registry_selectors
from sanxiang.registry.models import Agency, Certificate, Matter, Officer


def home_context(*, user: User, on: dt.date | None = None) -> dict:
    on = on or dt.date.today()
    from sanxiang.publication.selectors import publication_alerts

    context: dict = {"role": user.role, "today": on, "publication_alerts": publication_alerts(viewer=user, on=on)}
    if user.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN):
        overview = registry_selectors.team_health_overview(viewer=user, on=on)
        context |= {
            "overview": overview,
            "agencies_needing_action": [h for h in overview if h.danger_count],
            "agency_count": Agency.objects.count(),
            "officer_count": Officer.objects.filter(status="active").count(),
            "certificate_count": Certificate.objects.filter(status="valid", valid_from__lte=on, valid_to__gte=on).count(),
            "matter_count": Matter.objects.filter(is_active=True).count(),
        }
        return context
    agency = user.agency
    health = registry_selectors.team_health_for_agency(viewer=user, agency=agency, on=on)
    context |= {"agency": agency, "health": health}
    if user.officer_id:
        officer = registry_selectors.officer_get(viewer=user, officer_id=user.officer_id)
        context |= {
            "officer": officer,
            "own_findings": [f for f in health.findings if f.officer_id == officer.pk],
            "certificates": [(c, c.is_valid_on(on)) for c in officer.certificates.all()],
        }
    context |= {
        "officer_count": Officer.objects.filter(agency=agency, status="active").count(),
        "matter_count": Matter.objects.filter(agency=agency, is_active=True).count(),
        "reviewers": Officer.objects.filter(agency=agency, status="active", is_legal_reviewer=True),
    }
    return context
