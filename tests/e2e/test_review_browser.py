"""Legal review in headless Chromium, as the people do it (行政处罚法第五十八条):

1. the officer submits the draft decision for review;
2. the reviewer, from the review desk, asks for more material;
3. the officer answers and resubmits;
4. the reviewer agrees;
5. the head has the collective discussion recorded and decides.

Then the timeline shows every step and the 法制审核意见书 of both rounds are filed, as PDFs that
say what the reviewer said.
"""

import datetime as dt
import io
import re
import shutil

import pypdf
import pytest
from django.utils import timezone

from sanxiang.calendar.selectors import working_day_calendar_current
from sanxiang.cases.models import Case, IssuedDocument
from tests.cases.support import (
    PENALTY,
    end_investigation_data,
    inquiry,
    lead_make,
    notice_data,
    perform,
    world_make,
)
from tests.e2e.support import login

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]
CHECKLIST = ("agency", "officers", "powers", "procedure", "facts", "evidence", "law", "discretion", "documents", "crime")






def case_with_a_major_draft(w) -> Case:
    """A case whose statement window has run, with a draft that reduces the penalty below the
    discretion standard (major under the default catalogue), on days counted back from today."""
    calendar = working_day_calendar_current()
    today = timezone.localdate()
    notice_day = today - dt.timedelta(days=20)
    start = notice_day - dt.timedelta(days=12)
    case = lead_make(w, act_date=start - dt.timedelta(days=3), discovered_on=start)
    case = perform(case, "approve_opening", start, w.head, approval="agree", opinion="同意立案")
    case = perform(case, "open", start, w.officer, source="inspection", summary="检查发现销售过期食品。",
                   handler_opinion="建议立案。", violated=["《中华人民共和国食品安全法》第三十四条第（十）项"])
    day = start + dt.timedelta(days=1)
    case = perform(case, "investigate", day, w.officer)
    case = perform(case, "record_inquiry", day, w.officer, **inquiry(w, day))
    case = perform(case, "end_investigation", day + dt.timedelta(days=1), w.officer, **end_investigation_data())
    case = perform(case, "notify", notice_day, w.officer, **notice_data(notice_day))
    draft_day = calendar.working_days_after(notice_day, 6).date
    assert draft_day <= today
    return perform(case, "draft_decision", draft_day, w.officer, outcome="penalty", discretion="mitigated",
                   reasoning="当事人主动消除违法后果，依法减轻处罚。", **PENALTY)


def open_step(page, action: str):
    step = page.locator(f"[data-testid=action-{action}]")
    assert step.get_attribute("data-allowed") == "1", step.inner_text()
    step.locator("summary").first.click()
    return step


def done(page, label: str) -> None:
    """Wait for the page after the step; a refusal or a form error fails with what the page says."""
    page.wait_for_selector(f".msg:has-text('已完成：{label}'), [data-testid=violations], .errorlist")
    problems = page.locator("[data-testid=violations], .errorlist")
    assert problems.count() == 0, "\n".join(problems.locator("xpath=..").all_inner_texts())


def give_opinion(page, opinion: str, reasons: str, *, failing: dict[str, str]) -> None:
    step = open_step(page, "record_review")
    for item in CHECKLIST:
        # Each item answered: the checklist starts blank (radio buttons, none chosen).
        step.locator(f"input[name=check_{item}][value={'fail' if item in failing else 'pass'}]").check()
        if item in failing:
            step.locator(f"input[name=note_{item}]").fill(failing[item])
    step.locator(f"input[name=opinion][value={opinion}]").check()
    step.locator("textarea[name=reasons]").fill(reasons)
    step.locator("[data-testid=perform-record_review]").click()
    done(page, "出具法制审核意见")


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))


@pytest.mark.django_db(transaction=True)
def test_submit_return_resubmit_agree_decide(browser_page, live_server):
    page = browser_page
    w = world_make()
    case = case_with_a_major_draft(w)
    url = f"{live_server.url}/staff/cases/{case.pk}/"

    # The decision is blocked, with the reason and the article.
    login(page, live_server, w.officer)
    page.goto(url)
    assert "减轻处罚（低于裁量基准）" in page.locator("[data-testid=major-criteria]").inner_text()
    assert page.locator("[data-testid=perform-decide]").is_disabled()
    # Folded under 其他步骤 (the officer cannot decide now), with its reason.
    assert "未经法制审核不得作出决定" in page.locator("[data-testid=reasons-decide]").text_content()

    # 1. The officer submits.
    step = open_step(page, "submit_review")
    step.locator("textarea[name=evidence_list]").fill("现场检查笔录\n询问笔录\n营业执照复印件")
    step.locator("textarea[name=explanation]").fill("当事人主动消除违法后果，拟减轻处罚。")
    step.locator("[data-testid=perform-submit_review]").click()
    done(page, "送法制审核")
    assert page.locator("[data-testid=review-status]").inner_text() == "审核中"

    # 2. The reviewer finds the case in the review desk and asks for more material.
    login(page, live_server, w.reviewer)
    page.goto(f"{live_server.url}/staff/review/")
    page.locator(f"a[href='/staff/cases/{case.pk}/']").first.click()
    give_opinion(page, "resubmit", "请补充当事人消除违法后果的证据。", failing={"evidence": "减轻处罚的证据不足"})
    assert page.locator("[data-testid=review-status]").inner_text() == "退回补充材料"

    # 3. The officer answers and resubmits.
    login(page, live_server, w.officer)
    page.goto(url)
    step = open_step(page, "submit_review")
    step.locator("textarea[name=evidence_list]").fill("现场检查笔录\n询问笔录\n整改后现场照片")
    step.locator("textarea[name=explanation]").fill("当事人主动消除违法后果，拟减轻处罚。")
    step.locator("textarea[name=response]").fill("已补充整改后的现场照片。")
    step.locator("[data-testid=perform-submit_review]").click()
    done(page, "送法制审核")

    # 4. The reviewer agrees.
    login(page, live_server, w.reviewer)
    page.goto(url)
    give_opinion(page, "agree", "事实清楚，证据充分，减轻处罚理由成立，同意。", failing={})
    assert page.locator("[data-testid=review-status]").inner_text() == "审核同意"

    # 5. The head records the collective discussion and decides.
    login(page, live_server, w.head)
    page.goto(url)
    step = open_step(page, "record_collective_discussion")
    step.locator("input[name=place]").fill("本局会议室")
    step.locator("input[name=host]").fill("王局长")
    step.locator("input[name=recorder]").fill("刘某")
    step.locator("textarea[name=participants]").fill("王局长（局长）\n陈某（副局长）\n周某（副局长）")
    step.locator("input[name=leader_count]").fill("3")
    step.locator("textarea[name=views]").fill("王局长：同意\n陈某：同意\n周某：同意")
    step.locator("textarea[name=conclusion]").fill("经集体讨论，同意减轻处罚。")
    step.locator("[data-testid=perform-record_collective_discussion]").click()
    done(page, "集体讨论")
    page.locator("[data-testid=perform-decide]").click()
    # A decision cannot be undone: the confirmation says what will be made and sent.
    assert "行政处罚决定书" in page.locator("[data-testid=confirm-consequences]").inner_text()
    page.locator("[data-testid=confirm-perform]").click()
    done(page, "作出决定")
    assert page.locator("[data-testid=case-state]").inner_text() == "已作出决定"

    # The timeline has every step, in order.
    timeline = page.locator("[data-testid=timeline]").inner_text()
    order = [timeline.index(label) for label in ("拟定处理决定", "送法制审核", "出具法制审核意见", "集体讨论", "作出决定")]
    assert order == sorted(order)
    assert timeline.count("送法制审核") == 2 and timeline.count("出具法制审核意见") == 2
    rounds = page.locator("[data-testid=review-round]")
    assert rounds.count() == 2
    assert "第2次送审" in rounds.first.inner_text() and "同意" in rounds.first.inner_text()

    # The opinion documents: both rounds filed, the PDF says what the reviewer said.
    documents = page.locator("[data-testid=documents]")
    assert documents.locator("tr", has_text="法制审核意见书").count() == 2
    first = IssuedDocument.objects.filter(case=case, kind="review_opinion").order_by("pk").first()
    response = page.request.get(f"{live_server.url}/staff/cases/documents/{first.pk}.pdf")
    assert response.ok
    text = pdf_text(response.body())
    assert "法制审核意见书" in text and "补充材料后重新提交" in text and "减轻处罚的证据不足" in text
