"""One complete context that every document kind can be rendered from: a food-safety case of the
demo county (乌审旗), with made-up people and numbers."""

import datetime as dt
from dataclasses import replace

from sanxiang.documents import (
    Agency,
    Approval,
    CaseInfo,
    ChecklistLine,
    ClosingDetails,
    DecisionDetails,
    DiscussionDetails,
    DocumentContext,
    Evidence,
    Exchange,
    HearingDetails,
    InquiryDetails,
    InspectionDetails,
    InvestigationDetails,
    LegalBasis,
    NoticeDetails,
    Officer,
    OnSpotDetails,
    Opinion,
    Party,
    Penalty,
    PenaltyItem,
    Performance,
    Person,
    PreservationDetails,
    PreservedItem,
    Remedies,
    ReviewDetails,
    ServedDocument,
    ServiceDetails,
)

FOOD_SAFETY_LAW = "《中华人民共和国食品安全法》"
ISSUED_ON = dt.date(2026, 11, 26)

AGENCY = Agency(
    name="乌审旗市场监督管理局",
    credit_code="11150626MB1234567X",
    address="内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇萨拉乌苏路8号",
    phone="0477-7212345",
    seal_text="乌审旗市场监督管理局行政处罚专用章",
)
PARTY = Party(
    kind="organization",
    name="乌审旗草原味道餐饮有限公司",
    id_code="91150626MA0N1234XY",
    address="内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇团结路12号",
    legal_representative="巴特尔",
    phone="139****5678",
)
OFFICERS = (Officer("王建国", "15060001234"), Officer("其木格", "15060005678"))
PENALTY = Penalty(
    items=(
        PenaltyItem("confiscate_property", detail="超过保质期的“草原鲜”牌纯牛奶12箱"),
        PenaltyItem("confiscate_gains", amount_fen=48_000),
        PenaltyItem("fine", amount_fen=300_000),
    )
)

REVIEW = ReviewDetails(
    round=1,
    submitted_on=dt.date(2026, 11, 12),
    submitted_by="乌审旗市场监督管理局食品安全监督管理股（承办人：王建国、其木格）",
    reviewer="高娜",
    reviewed_on=dt.date(2026, 11, 16),
    major_criteria=(
        "经过听证程序作出行政处罚决定",
        "涉及食品安全，社会关注度较高",
    ),
    proposed="没收超过保质期的“草原鲜”牌纯牛奶12箱，没收违法所得人民币肆佰捌拾元整，并处罚款人民币叁仟元整。",
    materials=(
        "立案审批表",
        "现场检查笔录、询问笔录、先行登记保存通知书",
        "调查终结报告",
        "行政处罚事先告知书及送达回证",
        "听证笔录",
    ),
    checklist=(
        ChecklistLine("执法主体是否合法", "符合"),
        ChecklistLine("执法人员是否具备执法资格", "符合", "王建国、其木格均持有行政执法证件"),
        ChecklistLine("案件事实是否清楚，证据是否确凿充分", "符合"),
        ChecklistLine("适用法律依据是否准确", "符合", "食品安全法第三十四条第（十）项、第一百二十四条"),
        ChecklistLine("程序是否合法", "符合", "已告知陈述、申辩和听证权利，并依申请举行听证"),
        ChecklistLine("行政裁量是否适当", "符合", "初次违法，依裁量基准从轻处罚"),
        ChecklistLine("是否涉嫌犯罪需要移送司法机关", "不适用"),
    ),
    opinion="同意",
    reasons="本案事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意承办机构拟作出的行政处罚决定。",
)
DISCUSSION = DiscussionDetails(
    held_on=dt.date(2026, 11, 20),
    place="乌审旗市场监督管理局第二会议室",
    host="李明",
    recorder="刘芳",
    participants=("李明（局长）", "张海（副局长）", "乌日娜（副局长）", "高娜（法规股股长，列席）"),
    subject=(
        "乌审旗草原味道餐饮有限公司涉嫌经营超过保质期的食品一案，承办机构拟没收超过保质期的纯牛奶12箱，"
        "没收违法所得480元，并处罚款3000元。"
    ),
    views=(
        "张海：事实清楚，证据充分，当事人初次违法、积极配合，同意从轻处罚的意见。",
        "乌日娜：同意承办机构的意见，建议责令当事人建立临近保质期食品检查制度。",
        "李明：同意。",
    ),
    conclusion="经集体讨论，同意对当事人作出没收超过保质期的纯牛奶12箱、没收违法所得480元、罚款3000元的行政处罚决定。",
    absent=("孟和（副局长，外出培训）",),
    review_summary="同意（2026年11月16日，审核人员高娜）。",
)


def sample_context() -> DocumentContext:
    return DocumentContext(
        agency=AGENCY,
        case=CaseInfo(
            number="乌市监立〔2026〕37号",
            cause="涉嫌经营超过保质期的食品案",
            source="监督检查",
            discovered_on=dt.date(2026, 9, 1),
            opened_on=dt.date(2026, 9, 2),
        ),
        party=PARTY,
        officers=OFFICERS,
        facts=(
            "当事人于2026年8月20日从鄂尔多斯市某商贸公司购进“草原鲜”牌纯牛奶20箱（保质期至2026年8月28日），"
            "至2026年9月1日本机关检查时，仍在其经营场所的售卖区陈列销售12箱，已销售8箱，违法所得480元。"
        ),
        evidence=(
            Evidence("现场检查笔录1份", "当事人经营场所陈列销售超过保质期的纯牛奶"),
            Evidence("询问笔录1份（巴特尔）", "进货、销售的时间和数量"),
            Evidence("进货单据复印件2页", "进货来源和数量"),
            Evidence("现场照片6张"),
        ),
        violated=(LegalBasis(FOOD_SAFETY_LAW, "第三十四条第（十）项"),),
        penalty_bases=(LegalBasis(FOOD_SAFETY_LAW, "第一百二十四条第一款第（五）项"),),
        penalty=PENALTY,
        performance=Performance(
            method="到中国农业银行乌审旗支行缴纳罚没款，或者通过内蒙古自治区非税收入电子缴款系统缴纳"
        ),
        remedies=Remedies(reconsideration_authority="乌审旗人民政府", court="乌审旗人民法院"),
        document_number="乌市监处罚〔2026〕12号",
        issued_on=ISSUED_ON,
        copies_note="本文书一式两份，一份送达当事人，一份归档。",
        approval=Approval(
            handler=Opinion(
                "当事人涉嫌经营超过保质期的食品，符合立案条件，建议立案调查。",
                "王建国、其木格",
                dt.date(2026, 9, 1),
            ),
            department=Opinion("同意立案。", "张海", dt.date(2026, 9, 2)),
            head=Opinion("同意立案，由王建国、其木格承办。", "李明", dt.date(2026, 9, 2)),
        ),
        inquiry=InquiryDetails(
            started_at=dt.datetime(2026, 9, 3, 9, 30),
            ended_at=dt.datetime(2026, 9, 3, 10, 40),
            place="乌审旗市场监督管理局询问室",
            interviewee=Person(
                name="巴特尔",
                gender="男",
                id_code="150626********1234",
                employer="乌审旗草原味道餐饮有限公司",
                position="法定代表人",
                phone="139****5678",
                relation="当事人的法定代表人",
            ),
            recorder="其木格",
            exchanges=(
                Exchange("答", "不申请回避。"),
                Exchange("问", "请介绍一下你公司的基本情况。"),
                Exchange("答", "我公司2023年成立，主要经营餐饮和预包装食品销售，我是法定代表人。"),
                Exchange("问", "2026年9月1日在你公司售卖区发现的12箱纯牛奶是什么时候进的货？"),
                Exchange("答", "8月20日从鄂尔多斯市某商贸公司进的，一共20箱，已经卖了8箱，每箱60元。"),
            ),
        ),
        inspection=InspectionDetails(
            started_at=dt.datetime(2026, 9, 1, 14, 0),
            ended_at=dt.datetime(2026, 9, 1, 15, 10),
            place="乌审旗嘎鲁图镇团结路12号当事人经营场所",
            recorder="其木格",
            findings=(
                "当事人持有有效的营业执照和食品经营许可证。\n"
                "在经营场所售卖区货架上陈列有“草原鲜”牌纯牛奶12箱，每箱24盒，"
                "标注的保质期至2026年8月28日，已超过保质期，标价每箱60元。"
            ),
            present_person=Person(name="巴特尔", position="法定代表人", phone="139****5678"),
            recording="执法记录仪全程录像，现场拍摄照片6张。",
        ),
        preservation=PreservationDetails(
            approved_on=dt.date(2026, 9, 1),
            items=(PreservedItem("“草原鲜”牌纯牛奶", "250毫升×24盒", "12", "箱", "保质期至2026年8月28日"),),
            storage_place="当事人经营场所仓库",
            storage_method="就地封存保存",
            handling_deadline=dt.date(2026, 9, 10),
        ),
        investigation=InvestigationDetails(
            process=(
                "2026年9月1日，执法人员对当事人经营场所进行监督检查，发现涉嫌经营超过保质期的食品，"
                "经负责人批准对涉案纯牛奶先行登记保存。2026年9月2日立案后，执法人员询问了当事人的法定代表人，"
                "调取了进货单据。"
            ),
            discretion="当事人系初次违法，积极配合调查，违法所得较少，依照裁量基准从轻处罚。",
        ),
        notice=NoticeDetails(statement_days=5, hearing_right=False, contact_person="王建国"),
        hearing=HearingDetails(
            held_at=dt.datetime(2026, 10, 20, 9, 0),
            ended_at=dt.datetime(2026, 10, 20, 10, 30),
            place="乌审旗市场监督管理局第一会议室",
            presiding="赵文",
            clerk="刘芳",
            hearing_officers=("孙强",),
            requested_on=dt.date(2026, 10, 9),
            party_attendees=("巴特尔（法定代表人）", "陈律师（委托代理人）"),
            exchanges=(
                Exchange(
                    "主持人", "现在开始听证。请案件调查人员陈述当事人违法的事实、证据和拟作出的行政处罚。"
                ),
                Exchange(
                    "调查人员",
                    "当事人经营超过保质期的纯牛奶12箱，证据有现场检查笔录、询问笔录、进货单据和照片。",
                ),
                Exchange("当事人", "对事实没有异议，但货是店员疏忽没有下架，请求从轻处罚。"),
                Exchange("主持人", "听证结束。请当事人核对笔录。"),
            ),
        ),
        decision=DecisionDetails(
            procedure=(
                "本机关于2026年9月2日对当事人涉嫌经营超过保质期的食品一案立案调查。"
                "2026年11月10日，本机关向当事人送达了《行政处罚事先告知书》，告知拟作出行政处罚的事实、理由、依据和内容，"
                "以及当事人享有的陈述、申辩权利。当事人在法定期限内未提出陈述、申辩。"
            ),
            reasoning="鉴于当事人系初次违法，积极配合调查，依照本机关行政处罚裁量基准，予以从轻处罚。",
        ),
        service=ServiceDetails(
            documents=(ServedDocument("行政处罚决定书", "乌市监处罚〔2026〕12号"),),
            recipient="乌审旗草原味道餐饮有限公司",
            place="乌审旗嘎鲁图镇团结路12号",
            method="direct",
            served_at=dt.datetime(2026, 11, 27, 10, 15),
            signed_by="巴特尔",
        ),
        on_spot=OnSpotDetails(
            occurred_at=dt.datetime(2026, 11, 26, 10, 20),
            place="乌审旗嘎鲁图镇团结路12号",
        ),
        closing=ClosingDetails(
            decision_number="乌市监处罚〔2026〕12号",
            decided_on=ISSUED_ON,
            execution="当事人已于2026年12月5日缴纳罚没款人民币叁仟肆佰捌拾元整，没收的纯牛奶已于2026年12月8日监督销毁。",
        ),
        review=REVIEW,
        discussion=DISCUSSION,
    )


def summary_context() -> DocumentContext:
    """An on-the-spot case: a warning and a 200-yuan fine to a citizen (第五十一条)."""
    return replace(
        sample_context(),
        party=Party(
            kind="natural_person",
            name="张小明",
            id_code="150626********2345",
            address="内蒙古自治区鄂尔多斯市乌审旗嘎鲁图镇民族路3号",
            gender="男",
        ),
        facts="在未取得食品经营许可的情况下，在嘎鲁图镇团结路路边摆摊销售自制凉皮，货值金额约50元。",
        evidence=(Evidence("现场照片3张"),),
        penalty=Penalty(items=(PenaltyItem("warning"), PenaltyItem("fine", amount_fen=20_000))),
        violated=(LegalBasis("《内蒙古自治区食品生产加工小作坊和食品摊贩管理条例》", "第二十条"),),
        penalty_bases=(LegalBasis("《内蒙古自治区食品生产加工小作坊和食品摊贩管理条例》", "第四十条"),),
        document_number="乌市监当罚No.0001234",
    )


def second_review_context() -> DocumentContext:
    """The legal reviewer sent the case back once; the case office answered and submitted again."""
    return replace(
        sample_context(),
        review=replace(
            REVIEW,
            round=2,
            submitted_on=dt.date(2026, 11, 18),
            reviewed_on=dt.date(2026, 11, 19),
            response="已按第一次审核意见补充调取当事人进货台账及供货商资质证明，并补正了询问笔录的签名。",
        ),
    )


def disputed_discussion_context() -> DocumentContext:
    """The case office and the legal reviewer disagreed; the heads settled it at the discussion."""
    return replace(
        sample_context(),
        discussion=replace(
            DISCUSSION,
            review_summary="不同意，认为违法所得的计算应当扣除已退货部分。",
            resolution="经讨论，采纳法制审核机构的意见，违法所得按扣除退货后的数额计算，由承办机构重新核算后报批。",
        ),
    )
