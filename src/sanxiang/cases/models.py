"""Cases (案件): the Django side of the procedures in `sanxiang.procedure`.

A case stores what the engine's snapshot needs and nothing it can derive: its procedure and
state, the party and officers (rows of the registry, read afresh every time), and the facts of
the case so far as JSON (`facts`, the serialised `PenaltyCaseSnapshot` fields that are not
derived). The state is never written directly: `services.case_action_perform` changes it, with
its ledger entry, in the transaction that checks the law. What the documents print beyond the
facts (texts, places, people) is kept in `details`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CaseProcedure(models.TextChoices):
    """The penalty's two procedures, named where the code means them; every procedure of the
    catalogue (`procedure.catalog`) is a valid value of `Case.procedure`."""

    ORDINARY = "ordinary", _("普通程序")
    SUMMARY = "summary", _("简易程序")


def procedure_choices() -> list[tuple[str, str]]:
    """Every registered procedure, as the catalogue labels it: a new procedure needs no migration."""
    from sanxiang.procedure.catalog import procedures_all

    return [(key, spec.label) for key, spec in procedures_all().items()]


class Case(models.Model):
    agency = models.ForeignKey("registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("案号"), max_length=80, unique=True)
    title = models.CharField(_("案由"), max_length=200)
    matter = models.ForeignKey(
        "registry.Matter", verbose_name=_("执法事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    procedure = models.CharField(_("程序"), max_length=32, choices=procedure_choices, default=CaseProcedure.ORDINARY)
    # The case this one serves: a 查封、扣押 taken inside a penalty case, the execution of a
    # penalty decision. Same agency; set at registration and never changed.
    parent = models.ForeignKey(
        "self", verbose_name=_("所属案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Written only by services.case_action_perform, from the engine's answer.
    state = models.CharField(_("状态"), max_length=32, default="lead")
    party = models.ForeignKey(
        "registry.Party", verbose_name=_("当事人"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    officers = models.ManyToManyField("registry.Officer", verbose_name=_("承办人员"), blank=True, related_name="cases")
    enforcement_field = models.CharField(_("执法领域"), max_length=60, blank=True)
    act_date = models.DateField(_("违法行为发生日期"), null=True, blank=True)
    facts = models.JSONField(_("案件事实"), default=dict, blank=True)
    details = models.JSONField(_("文书内容"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "state"], name="cases_case_agency_state"),
            # The lists' order (newest first, id as tie-break): a page of the API's keyset cursor
            # is an index range, not a sort of every case (15–35 ms beside 135 ms at 100k cases).
            models.Index(fields=["agency", "-created_at", "-id"], name="cases_case_agency_newest"),
            models.Index(fields=["-created_at", "-id"], name="cases_case_newest"),
            # The open cases of an agency (`selectors.open_cases`: per procedure, the states it does
            # not end in), from which the inbox, the worklists and the homes start: a state such
            # as "closed" is final in one procedure and not in another.
            models.Index(fields=["agency", "procedure", "state"], name="cases_case_agency_open"),
            # The cases with a legal review opinion, newest first (the review desk's 最近审核: a
            # few among every case of the agency, read without the facts of the others).
            models.Index(fields=["agency", "-updated_at"], condition=models.Q(facts__review_opinions__0__isnull=False),
                         name="cases_case_reviewed"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:case_detail", args=[self.pk])


class DocumentCounter(models.Model):
    """The last 文号 (or case number) given out per agency, year and kind of document.

    Allocation locks this row and increments it inside the transaction that issues the document,
    so numbers are never duplicated, and a rolled-back issue rolls its number back with it: the
    next issue gets the same number, and the sequence has no gap."""

    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=40)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文号计数器")
        verbose_name_plural = _("文号计数器")
        constraints = [models.UniqueConstraint(fields=["agency", "year", "kind"], name="cases_counter_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}/{self.kind}: {self.last}"


class IssuedDocument(models.Model):
    """A document (文书) issued in a case: its PDF and DOCX are in the evidence store, and a
    DOCUMENT_ISSUED ledger entry records both digests."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="documents")
    agency = models.ForeignKey("registry.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书种类"), max_length=40)
    title = models.CharField(_("文书名称"), max_length=60)
    record_kind = models.CharField(_("记录种类"), max_length=64)
    number = models.CharField(_("文号"), max_length=80, blank=True)
    action = models.CharField(_("程序环节"), max_length=64)
    issued_on = models.DateField(_("文书日期"))
    # The PDF of an internal document may follow its step too (procedure.document_timing): null until
    # its job has rendered it (with the Word copy); every other document has it from its step on.
    pdf = models.ForeignKey("evidence.EvidenceRecord", on_delete=models.PROTECT, related_name="+", null=True,
                            blank=True)
    # The Word copy, which may follow the step (procedure.document_timing): null until its job
    # (`cases.document_copies`) has rendered, stored and entered it in the ledger.
    docx = models.ForeignKey("evidence.EvidenceRecord", on_delete=models.PROTECT, related_name="+", null=True,
                             blank=True)
    filename_stem = models.CharField(max_length=200)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    ledger_seq = models.BigIntegerField(_("账本序号"), null=True, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["case", "issued_at", "id"]
        constraints = [
            # The allocator already prevents duplicates; this makes a bug in it an error, not a
            # second document under the same number.
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~models.Q(number=""), name="cases_document_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()



class CaseProjection(models.Model):
    """What lists need of a case and is not daily, stored by the case projection
    (`cases.projection`) in the transaction of every change of the case; a table of its own so
    that the case's row and its readers stay as they are. Every case has one."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="projection")
    # The roles whose steps the state offers, as ",officer,agency_head," (a portable `contains`
    # filter), for inboxes and lists that ask "who must act".
    roles_next = models.CharField(_("下一步办理角色"), max_length=100, blank=True, default="")
    # Set when computing the case's deadlines failed with an error (a defect, logged): the step
    # was taken all the same, the lists show "期限无法计算" (a marker row) and `sanxiang projection
    # check` reports the case until a refresh or the rebuild computes it.
    stale = models.BooleanField(_("投影待重算"), default=False)
    error = models.TextField(_("计算错误"), blank=True, default="")

    class Meta:
        verbose_name = _("案件投影")
        verbose_name_plural = _("案件投影")

    def __str__(self) -> str:
        return f"{self.case_id} {self.roles_next}"


class CaseDeadline(models.Model):
    """One phase of a deadline of a case (`procedure.penalty.deadlines.DeadlinePhase`), stored by
    the case projection (`cases.projection`) in the transaction of every change of the case, so
    that lists read the day's state in SQL: on a day D a row is shown when shown_from ≤ D ≤
    shown_until (a null bound is open); it is met when `met` or `completed_on` is set, else overdue
    after `due`, due soon from `soon_from`, else running. Never written by anything else.

    A row with `uncomputable` set is a marker, not a deadline: a deadline of the case could not be
    computed (a parameter with no value in force on the case's dates, a date out of range, an
    error); its label says why ("期限无法计算：…", naming the parameter), it has no due date, it is
    listed first and it stays open, so that lists show the case as needing a look."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadline_rows")
    position = models.PositiveSmallIntegerField()  # the order the case page lists them in
    code = models.CharField(max_length=80)
    label = models.CharField(max_length=400)
    uncomputable = models.BooleanField(default=False)
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    late = models.BooleanField(default=False)
    estimated = models.BooleanField(default=False)
    basis = models.TextField(blank=True)
    met = models.BooleanField(default=False)
    soon_days = models.PositiveSmallIntegerField(default=0)
    soon_from = models.DateField(null=True, blank=True)
    shown_from = models.DateField(null=True, blank=True)
    shown_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("案件期限")
        verbose_name_plural = _("案件期限")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="cases_deadline_position_unique")]
        indexes = [models.Index(fields=["due"], name="cases_deadline_due")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code} {self.due}"


class CaseChallenge(models.Model):
    """One 行政复议 or 行政诉讼 against a case's decision, as the case's facts record it
    (`PenaltyCaseSnapshot.challenges`), stored by the case projection (`cases.projection`) in the
    transaction of every change of a case that has one, so that the correction indicator counts them
    in SQL. Never written by anything else."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="challenge_rows")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("类别"), max_length=20)  # reconsideration | litigation
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("终结日期"), null=True, blank=True)
    result = models.CharField(_("结果"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="cases_challenge_position_unique")]
        indexes = [models.Index(fields=["ended_on"], name="cases_challenge_ended")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.started_on}"


class CaseSearch(models.Model):
    """The grams of what the case list searches (the case's number, its title, its party's name),
    for the index of `cases.search`: stored by the case projection's refresh in the transaction of
    every change of the case and of every edit of its party, never by anything else. Every case
    has one."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="search")
    grams = models.TextField(default="", blank=True)

    class Meta:
        verbose_name = _("案件检索索引")
        verbose_name_plural = _("案件检索索引")

    def __str__(self) -> str:
        return str(self.case_id)


# The `action` of a document imported with its decision (`PermitImport`): issued by another system, it
# has only the files that system sent (its PDF, or none), never a Word copy rendered here.
IMPORTED_DOCUMENT_ACTION = "imported"


class PermitImport(models.Model):
    """A licence decision made in another system (政务服务) and imported (`cases.permit_import`):
    the case it became, under its source system's name and id. The pair is unique, so importing
    the same decision again finds it; `row_sha256` is the digest of the row as imported, so a row
    changed under the same id is told apart (a conflict, never an overwrite)."""

    agency = models.ForeignKey("registry.Agency", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    source_system = models.CharField(_("来源系统"), max_length=100)
    source_id = models.CharField(_("来源编号"), max_length=100)
    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="permit_import")
    decision = models.CharField(_("决定类型"), max_length=20)
    row_sha256 = models.CharField(max_length=64)
    # The row as imported (column → text), to name the columns a later row under the same id changed.
    row = models.JSONField(default=dict)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入的行政许可决定")
        verbose_name_plural = _("导入的行政许可决定")
        constraints = [models.UniqueConstraint(fields=["source_system", "source_id"], name="cases_permit_import_source")]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.source_id}"
