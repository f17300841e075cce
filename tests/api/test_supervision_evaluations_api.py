"""Issue 19: 执法质效评议 through the API, as its pages: drafted with its standards (a bad line is named),
approved by a second supervisor (the standards then on the portal), each agency scored rule by rule by
two supervisors (one alone is refused with the pair rule), the results published once every agency is
scored. Only the bureau's supervisors (a system administrator reads). Bearer token, CSRF checks on."""

import json

import pytest

from sanxiang.accounts.models import Role
from sanxiang.supervision.models import Evaluation, EvaluationScore
from tests.api.support import bearer
from tests.factories import agency_make, user_make
from tests.supervision.support import desk_make

pytestmark = pytest.mark.django_db
URL = "/api/supervision/evaluations"
STANDARDS = """# 执法主体
## 持证执法
- 执法人员持有效执法证件 | 10
- 无证执法 | 10 | 否决
# 执法程序
## 公示
- 按时公示行政处罚决定 | 20
"""


def post(client, url: str, auth: dict, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json", **auth)


def draft(desk, **fields) -> dict:
    return {"title": "2026年度执法质效评议", "period_start": "2026-01-01", "period_end": "2026-12-31",
            "agency_ids": [desk.agency.pk], "scheme": "对各执法机关的执法质量和效果进行评议。",
            "process": "一、自查；二、评查；三、公布结果。", "standards": STANDARDS} | fields


def test_an_evaluation_is_drafted_approved_scored_by_a_pair_and_its_results_published(client):
    desk = desk_make()
    first, second = bearer(desk.first), bearer(desk.second)
    elsewhere = agency_make(name="外县局", region_code="150627")
    for bad, field in [({"agency_ids": [elsewhere.pk]}, "agency_ids"), ({"standards": "- 没有指标的细则 | 10"}, "standards"),
                       ({"title": " "}, "title"), ({"plan_item_id": 10**6}, "plan_item_id")]:
        response = post(client, URL, first, draft(desk, **bad))
        assert response.status_code == 422, (bad, response.content)
        assert field in [v["field"] for v in response.json()["violations"]], (bad, response.json())
    assert not Evaluation.objects.exists()
    drafted = post(client, URL, first, draft(desk))
    assert drafted.status_code == 201, drafted.content
    body = drafted.json()
    assert [c["number"] for c in body["criteria"]] == ["1", "1.1", "1.1.1", "1.1.2", "2", "2.1", "2.1.1"]
    assert body["criteria"][0]["points"] == "20" and body["status"] == "draft"
    url = f"{URL}/{body['id']}"
    rules = [c["id"] for c in body["criteria"] if c["level"] == 3]
    full = [{"criterion_id": rules[0], "awarded": "10"}, {"criterion_id": rules[1], "awarded": "10"},
            {"criterion_id": rules[2], "awarded": "20"}]
    score_url = f"{url}/scores/{desk.agency.pk}"
    # Not yet approved: no scoring (409).
    early = post(client, score_url, first, {"scores": full, "second_supervisor_id": desk.second.pk})
    assert early.status_code == 409 and "score.draft" in [v["code"] for v in early.json()["violations"]]

    own = post(client, f"{url}/approve", first)
    assert own.status_code == 409 and [v["code"] for v in own.json()["violations"]] == ["evaluation.same_person"]
    approved = post(client, f"{url}/approve", second)
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved" and approved.json()["publish_blockers"]

    # Scored alone: the pair rule, 409 with its basis; nothing written.
    alone = post(client, score_url, first, {"scores": full})
    assert alone.status_code == 409 and "supervisors.too_few" in [v["code"] for v in alone.json()["violations"]]
    assert all(v["legal_basis"] for v in alone.json()["violations"]) and not EvaluationScore.objects.exists()
    # A deduction without its reason: refused.
    cut = post(client, score_url, first, {"scores": [*full[:2], {"criterion_id": rules[2], "awarded": "15"}],
                                          "second_supervisor_id": desk.second.pk})
    assert cut.status_code == 409 and [v["code"] for v in cut.json()["violations"]] == ["score.reason"], cut.content
    scored = post(client, score_url, first, {"scores": full, "second_supervisor_id": desk.second.pk})
    assert scored.status_code == 200, scored.content
    [row] = scored.json()["agencies"]
    assert row["scored"] and row["total"] == "40" and row["grade"] == "优秀"
    assert post(client, f"{url}/scores/{elsewhere.pk}", first, {"scores": full}).status_code == 404

    published = post(client, f"{url}/publish", first)
    assert published.status_code == 200 and published.json()["status"] == "published", published.content
    assert post(client, f"{url}/publish", first).status_code == 409

    outsider = bearer(desk_make().first)
    assert client.get(url, **outsider).status_code == 404 and client.get(URL, **outsider).json()["items"] == []
    head = bearer(user_make(role=Role.AGENCY_HEAD, agency=desk.agency))
    assert client.get(URL, **head).status_code == 403 and post(client, URL, head, draft(desk)).status_code == 403
    assert [e["id"] for e in client.get(f"{URL}?status=published", **first).json()["items"]] == [body["id"]]
    assert client.get(f"{URL}?status=draft", **first).json()["items"] == []
    for bad in ("status=done", "ordering=title", "since=x"):
        response = client.get(f"{URL}?{bad}", **first)
        assert response.status_code == 422 and response.json()["violations"][0]["field"], bad
