"""Part A of the demo county's year of supervision (issue 14): the 司法局's supervisors with their
supervision certificates (one expired), and matters from every source, triaged, with measures
(a 约谈 with its record, a self-inspection, a 调阅案卷 of a case of the main agency), marks, a merge,
a transfer, a dispute in litigation closed under 第三十三条, and the platform's alerts. Everything
goes through the services, so every step is in the ledger. The lead wires it into the demo command
after the parts are merged."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from sanxiang.accounts.models import Role, User
from sanxiang.accounts.services import user_create
from sanxiang.cases.models import Case
from sanxiang.demo.county import DEMO_TOTP_SECRETS, DemoAccount, user_totp_enable
from sanxiang.demo.generator import DEMO_SEED, CountyGenerator
from sanxiang.procedure.identifiers import id_number_check_character
from sanxiang.procedure.supervision.rules import MatterSource
from sanxiang.registry.models import Agency
from sanxiang.registry.services import supervision_certificate_save, supervisor_create
from sanxiang.supervision import services
from sanxiang.supervision.alerts import platform_alerts_open
from sanxiang.supervision.models import Matter

DEMO_SUPERVISOR_PASSWORD = "Sanxiang-Supervisor-2026!"
# (username, name, the first 17 characters of the ID number, whether the certificate is expired)
SUPERVISORS = (
    ("jiandu-wang", "王建国", "15062619780315001", False),
    ("jiandu-zhao", "赵丽华", "15062619820622002", False),
    ("jiandu-sun", "孙志强", "15062619851203003", False),
    ("jiandu-qian", "钱淑芬", "15062619791128004", True),
)
FIRST_DAY = dt.date(2026, 2, 1)  # 《行政执法监督条例》 in force


def _supervisors(bureau: Agency, today: dt.date) -> list[User]:
    users = []
    for n, (username, name, id_number, expired) in enumerate(SUPERVISORS, start=1):
        supervisor = supervisor_create(actor=None, bureau=bureau, name=name,
                                       id_number=id_number + id_number_check_character(id_number))
        supervision_certificate_save(
            actor=None, supervisor=supervisor, number=f"JD150626{2026000 + n}", issuing_authority="鄂尔多斯市人民政府",
            valid_from=dt.date(2023, 1, 1), valid_to=(today - dt.timedelta(days=30)) if expired else dt.date(2029, 12, 31),
        )
        user = user_create(actor=None, username=username, password=DEMO_SUPERVISOR_PASSWORD, role=Role.SUPERVISOR,
                           agency=bureau, supervisor=supervisor, display_name=name, validate=False)
        # Like the demo's other supervisor: a known second factor, printed by `sanxiang demo`.
        users.append(user_totp_enable(user=user, secret=DEMO_TOTP_SECRETS[Role.SUPERVISOR]))
    return users


def demo_supervisor_accounts() -> list[DemoAccount]:
    """The demo supervisors' accounts that are loaded, for `sanxiang demo` to print beside the others
    (the role labelled with the supervisor's name, and whether the certificate is expired)."""
    loaded = set(User.objects.filter(username__in=[s[0] for s in SUPERVISORS]).values_list("username", flat=True))
    with translation.override("zh-hans"):
        role = str(Role.SUPERVISOR.label)
    return [
        DemoAccount(role=str(Role.SUPERVISOR), role_label=f"{role}（{name}{'，监督检查证已过期' if expired else ''}）",
                    username=username, password=DEMO_SUPERVISOR_PASSWORD,
                    totp_secret=DEMO_TOTP_SECRETS[Role.SUPERVISOR])
        for username, name, _id, expired in SUPERVISORS if username in loaded
    ]


def supervision_matters_demo_load(*, today: dt.date | None = None) -> int:
    """Load part A's year into the demo county (once); returns how many matters were opened."""
    today = today or timezone.localdate()
    generator = CountyGenerator(seed=DEMO_SEED, today=today)
    bureau = Agency.objects.filter(credit_code=generator.judicial_bureau().credit_code).first()
    main = Agency.objects.filter(credit_code=generator.main_agency().credit_code).first()
    if bureau is None or main is None or Matter.objects.filter(bureau=bureau).exists():
        return 0
    wang, zhao, sun, _qian = _supervisors(bureau, today)
    pair = [wang, zhao]
    others = list(Agency.objects.filter(region_code=bureau.region_code, is_judicial_bureau=False)
                  .exclude(pk=main.pk).order_by("id")[:3]) or [main]
    start = max(FIRST_DAY, today - dt.timedelta(days=365))
    span = max((today - start).days, 1)

    def day(fraction: float) -> dt.date:
        return start + dt.timedelta(days=int(span * fraction))

    def open_(source, subject, fraction, agency=main, **fields) -> Matter:
        matter = services.matter_open(bureau=bureau, source=source, subject=subject, summary=fields.pop("summary", ""),
                                      received_on=day(fraction), agency=agency, actor=wang, **fields)
        services.matter_pair_assign(matter=matter, users=pair, actor=wang)
        return matter

    # 日常监督: accepted, a self-inspection ordered and an inspection, concluded.
    routine = open_(MatterSource.ROUTINE, "执法公示制度落实情况日常监督", 0.05, summary="按年度监督计划抽查执法公示。")
    services.matter_accept(matter=routine, actor=wang)
    services.measure_record(matter=routine, actor=wang, kind="self_inspection", taken_on=day(0.06),
                            summary="责令对2026年以来行政处罚决定公示情况开展自查", reply_on=day(0.12))
    services.measure_record(matter=routine, actor=zhao, kind="inspection", taken_on=day(0.15),
                            summary="实地检查公示栏和门户网站，发现3件决定公示超期")
    services.matter_conclude(matter=routine, outcome="已督促整改，超期公示的决定已补充公示。", actor=zhao)

    # 重点监督 from the 12345 hotline: 挂牌督办, a 约谈 with its record, a 调阅案卷 of a case.
    hotline = open_(MatterSource.HOTLINE_12345, "群众反映执法人员未出示执法证件", 0.3, agency=main,
                    summary="12345热线工单：检查时未出示执法证件、未告知陈述申辩权利。")
    services.matter_accept(matter=hotline, actor=wang)
    services.matter_mark_set(matter=hotline, mark="listed", value=True, reason="同类反映多次出现，社会关注度高", actor=wang)
    services.measure_record(matter=hotline, actor=wang, kind="summons", taken_on=day(0.35),
                            attendees="被约谈人：局长；参加人员：法制股股长、监督人员王建国、赵丽华",
                            record="指出执法人员未出示证件、未告知权利的问题，要求一个月内完成全员培训并报告。")
    case = Case.objects.filter(agency=main).order_by("-created_at").first()
    if case is not None:
        services.measure_record(matter=hotline, actor=zhao, kind="file_call", taken_on=today, cases=[case],
                                grant_until=timezone.now() + dt.timedelta(days=7))

    # 涉企行政执法诉求: 提级监督, still in hand.
    enterprise = open_(MatterSource.ENTERPRISE, "企业反映重复检查", 0.5, agency=others[0],
                       summary="企业反映一个月内被同一机关检查三次。")
    services.matter_accept(matter=enterprise, actor=zhao)
    services.matter_mark_set(matter=enterprise, mark="escalated", value=True, reason="涉及多个部门，提级办理", actor=zhao)
    services.measure_record(matter=enterprise, actor=wang, kind="unannounced_visit", taken_on=day(0.55),
                            summary="暗访企业和检查现场，核实检查次数")

    # 上级交办 and 上级专项监督任务 (received from the province).
    assigned = open_(MatterSource.ASSIGNED, "市司法局交办：行政执法案卷评查", 0.6,
                     assigning_body="鄂尔多斯市司法局", assigning_reference="鄂司交〔2026〕7号")
    services.matter_accept(matter=assigned, actor=wang)
    services.measure_record(matter=assigned, actor=wang, kind="statistics", taken_on=day(0.62),
                            summary="统计全旗2026年上半年行政处罚案件办理期限")
    open_(MatterSource.SPECIAL_TASK, "自治区涉企行政检查专项监督", 0.7, agency=None,
          assigning_body="内蒙古自治区司法厅", assigning_reference="内司执监〔2026〕3号")

    # 投诉举报 (the portal is part D; here entered at the desk): one already in litigation (第三十三条),
    # one merged into the hotline matter, one transferred.
    sued = open_(MatterSource.COMPLAINT, "当事人对罚款决定不服", 0.75, dispute="litigation",
                 summary="当事人已向人民法院提起行政诉讼。")
    services.matter_close(matter=sued, reason="in_litigation", actor=wang)
    duplicate = open_(MatterSource.COMPLAINT, "反映同一执法人员未出示证件", 0.8)
    services.matter_merge(matter=duplicate, into=hotline, actor=zhao)
    elsewhere = open_(MatterSource.FOCUSED, "反映市级部门执法问题", 0.85, agency=None)
    services.matter_transfer(matter=elsewhere, to_body="鄂尔多斯市司法局", outcome="属于市级部门，已移送。", actor=wang)
    # A recusal: 孙 replaces 赵 who declared an interest.
    recusal = open_(MatterSource.FOCUSED, "反映执法人员与当事人存在利害关系", 0.9, agency=others[-1])
    services.matter_supervisor_recuse(matter=recusal, user=zhao, reason="与被反映人系近亲属", actor=zhao)
    services.matter_pair_assign(matter=recusal, users=[wang, sun], actor=wang)
    # Waiting on the desk (received).
    open_(MatterSource.ROUTINE, "行政执法全过程记录制度落实情况", 0.98, agency=others[0])

    platform_alerts_open(on=today)
    return Matter.objects.filter(bureau=bureau).count()
