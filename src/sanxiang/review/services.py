"""Writes of legal review: keeping and publishing an agency's catalogue of major decisions
(重大执法决定法制审核目录清单). Each function checks the actor's permission and the rules, makes the
change and appends its ledger entry in one transaction; a refused change writes nothing and
reports every reason."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from sanxiang.accounts.models import User
from sanxiang.accounts.permissions import permission_require
from sanxiang.ledger.services import entry_append
from sanxiang.procedure.citations import COLLECTIVE_DISCUSSION, PENALTY_KINDS_BASIS
from sanxiang.procedure.penalty.snapshot import PENALTY_KINDS
from sanxiang.procedure.violations import Refused, Violation
from sanxiang.public_events import CatalogueMatter, CataloguePublished, catalogue_published_emit
from sanxiang.registry.models import Agency, Matter
from sanxiang.review import events
from sanxiang.review.models import CataloguePublication, MajorDecisionCatalogue
from sanxiang.review.permissions import user_can_edit_catalogue, user_can_publish_catalogue
from sanxiang.review.selectors import (
    DISCUSSION_CASES,
    LEGAL_BASIS,
    catalogue_content_current,
    catalogue_defaults,
    content_body,
    ordered,
)
from sanxiang.review.tallies import review_tallies_refresh_agency

CATALOGUE_BASIS = f"{LEGAL_BASIS}（各级行政执法机关要结合本机关行政执法行为的类别、执法层级、所属领域、涉案金额等因素，制定重大执法决定法制审核目录清单）"


def _catalogue_violations(
    *,
    agency: Agency,
    kinds: list[str],
    fine_natural_person_fen: int,
    fine_organization_fen: int,
    discussion_for: list[str],
    matter_ids: list[int],
) -> tuple[list[Violation], list[Matter]]:
    violations = []
    for kind in kinds:
        if kind not in PENALTY_KINDS:
            violations.append(
                Violation("review.catalogue.kind_unknown", f"“{kind}”不是法定的行政处罚种类", PENALTY_KINDS_BASIS, "kinds")
            )
    for field, label, amount in (
        ("fine_natural_person_fen", "对公民", fine_natural_person_fen),
        ("fine_organization_fen", "对法人或者其他组织", fine_organization_fen),
    ):
        if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
            violations.append(
                Violation("review.catalogue.threshold_not_positive", f"{label}的罚没数额标准应当大于0元", CATALOGUE_BASIS, field)
            )
    for case in discussion_for:
        if case not in DISCUSSION_CASES:
            violations.append(
                Violation(
                    "review.catalogue.discussion_unknown",
                    f"“{case}”不是须经集体讨论的情形（只能是情节复杂或者重大执法决定）",
                    COLLECTIVE_DISCUSSION,
                    "discussion_for",
                )
            )
    found = {m.pk: m for m in Matter.objects.filter(pk__in=matter_ids)}
    matters = []
    for matter_id in matter_ids:
        matter = found.get(matter_id)
        if matter is None:
            violations.append(Violation("review.catalogue.matter_unknown", f"执法事项（{matter_id}）不存在", CATALOGUE_BASIS, "matters"))
        elif matter.agency_id != agency.pk:
            # Say no more than the code: the matter is another agency's.
            violations.append(
                Violation(
                    "review.catalogue.matter_other_agency",
                    f"执法事项{matter.code}不是本机关的执法事项，不能列入本机关的目录清单",
                    CATALOGUE_BASIS,
                    "matters",
                )
            )
        else:
            matters.append(matter)
    return violations, matters


def _matter_id(matter: Matter | int) -> int:
    return matter.pk if isinstance(matter, Matter) else int(matter)


@transaction.atomic
def catalogue_update(
    *,
    actor: User | None,
    agency: Agency,
    kinds: Iterable[str] | None = None,
    fine_natural_person_fen: int | None = None,
    fine_organization_fen: int | None = None,
    amount_inclusive: bool | None = None,
    discretion_deviation: bool | None = None,
    discussion_for: Iterable[str] | None = None,
    matters: Iterable[Matter | int] | None = None,
    explanation: str | None = None,
) -> MajorDecisionCatalogue:
    """Change the agency's working catalogue; an argument left None keeps its value (a new
    catalogue starts from the parameters' defaults). The published version does not change until
    `catalogue_publish`."""
    if actor is not None:
        permission_require(
            user_can_edit_catalogue(actor, agency.pk), "只有本机关负责人、单位管理员或者系统管理员可以修改法制审核目录清单"
        )
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    catalogue = MajorDecisionCatalogue.objects.select_for_update().filter(agency=agency).first()
    created = catalogue is None
    if catalogue is None:
        catalogue = MajorDecisionCatalogue(agency=agency, **catalogue_defaults(agency=agency))
    current_matter_ids = sorted(catalogue.matters.values_list("pk", flat=True)) if not created else []
    wanted = {
        "kinds": list(dict.fromkeys(kinds)) if kinds is not None else catalogue.kinds,
        "fine_natural_person_fen": fine_natural_person_fen
        if fine_natural_person_fen is not None
        else catalogue.fine_natural_person_fen,
        "fine_organization_fen": fine_organization_fen
        if fine_organization_fen is not None
        else catalogue.fine_organization_fen,
        "amount_inclusive": amount_inclusive if amount_inclusive is not None else catalogue.amount_inclusive,
        "discretion_deviation": discretion_deviation
        if discretion_deviation is not None
        else catalogue.discretion_deviation,
        "discussion_for": list(dict.fromkeys(discussion_for))
        if discussion_for is not None
        else catalogue.discussion_for,
        "explanation": explanation.strip() if explanation is not None else catalogue.explanation,
    }
    matter_ids = sorted({_matter_id(m) for m in matters}) if matters is not None else current_matter_ids
    violations, chosen = _catalogue_violations(
        agency=agency,
        kinds=wanted["kinds"],
        fine_natural_person_fen=wanted["fine_natural_person_fen"],
        fine_organization_fen=wanted["fine_organization_fen"],
        discussion_for=wanted["discussion_for"],
        matter_ids=matter_ids,
    )
    if violations:
        raise Refused(violations)
    # Stored in the order of the law's lists, so that the same choice is never a change.
    wanted["kinds"] = list(ordered(wanted["kinds"], PENALTY_KINDS))
    wanted["discussion_for"] = list(ordered(wanted["discussion_for"], DISCUSSION_CASES))
    changed = [name for name, value in wanted.items() if getattr(catalogue, name) != value]
    if matter_ids != current_matter_ids:
        changed.append("matters")
    if not changed and not created:
        return catalogue
    for name, value in wanted.items():
        setattr(catalogue, name, value)
    catalogue.updated_by = actor
    catalogue.save()
    catalogue.matters.set(chosen)
    entry_append(
        event=events.catalogue_updated_event(
            catalogue=catalogue, matter_codes=[m.code for m in chosen], changed=changed
        ),
        actor=actor,
    )
    return catalogue


@transaction.atomic
def catalogue_publish(*, actor: User | None, agency: Agency) -> CataloguePublication:
    """Publish the working catalogue as the agency's next version: from then on the review gate
    and the public portal read this version."""
    if actor is not None:
        permission_require(
            user_can_publish_catalogue(actor, agency.pk), "只有本机关负责人或者系统管理员可以发布法制审核目录清单"
        )
    # The agency row is the lock: two publications of one agency never race for a version.
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    latest = CataloguePublication.objects.filter(agency=agency).order_by("-version").first()
    content = catalogue_content_current(agency=agency)
    if latest is not None and content_body(latest.content) == content_body(content):
        raise Refused(
            [
                Violation(
                    "review.catalogue.unchanged",
                    f"目录清单自第{latest.version}版发布以来没有修改，无须重新发布",
                    CATALOGUE_BASIS,
                    None,
                )
            ]
        )
    now = timezone.now()
    version = latest.version + 1 if latest is not None else 1
    publication = CataloguePublication(
        agency=agency,
        version=version,
        content=content | {"version": version, "published_on": timezone.localdate(now).isoformat()},
        published_at=now,
        published_by=actor,
    )
    publication.save()

    def seq_stored(entry) -> None:
        # At once outside a ledger batch; inside one, when the batch is flushed.
        publication.ledger_seq = entry.seq
        CataloguePublication.objects.filter(pk=publication.pk).update(ledger_seq=entry.seq)

    entry_append(event=events.catalogue_published_event(publication=publication), actor=actor, then=seq_stored)
    # The public read model (publication) writes its row in this transaction.
    catalogue_published_emit(catalogue_public_event(publication=publication))
    # A version published on the day of a decision was in force for it: that day's figures change.
    review_tallies_refresh_agency(agency_id=agency.pk, decided_from=timezone.localdate(now))
    return publication


def catalogue_public_event(*, publication: CataloguePublication) -> CataloguePublished:
    """The typed public text of a published version, built from its self-contained content."""
    content = publication.content
    return CataloguePublished(
        agency_id=publication.agency_id,
        version=publication.version,
        published_on=dt.date.fromisoformat(content["published_on"]),
        published_at=publication.published_at,
        title=content["title"],
        agency_name=content["agency_name"],
        legal_basis=content["legal_basis"],
        listed=tuple(content["listed"]),
        matters=tuple(CatalogueMatter(m["code"], m["name"], m["legal_basis"]) for m in content["matters"]),
        statutory=tuple(content["statutory"]),
        statutory_basis=content["statutory_basis"],
        discussion_for=tuple(d["label"] for d in content["discussion_for"]),
        discussion_basis=content["discussion_basis"],
        explanation=content["explanation"],
    )

