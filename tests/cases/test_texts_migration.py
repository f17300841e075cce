"""The penalty's texts, typed, and the migration that types the texts of the cases stored before.

`data/legacy_penalty_cases.json` was written by the code before the typed texts (a major case
through two review rounds, a hearing, an on-the-spot case, a no-penalty decision, a declined lead):
each case's `details`, `facts`, snapshot and case info, and the context of every document it had,
as that code built them. Migrated, the same cases load typed, their documents print exactly the
same, and the digest of a draft decision a reviewer covered is the same, so the review still holds. The migration run on stored rows (and back) is in
test_past_migrations.py.
"""

import importlib
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sanxiang.cases.facts import FactsError, facts_dump, facts_load
from sanxiang.cases.paperwork import CaseInfoIn, Issue, document_context
from sanxiang.cases.selectors import guard_context
from sanxiang.procedure.penalty.snapshot import PenaltyCaseSnapshot
from sanxiang.procedure.penalty.texts import DecisionTexts, Findings, PenaltyTexts, decision_content_digest
from tests.cases.support import D

migration = importlib.import_module("sanxiang.cases.migrations.0007_penalty_texts_typed")
LEGACY = json.loads((Path(__file__).parent / "data" / "legacy_penalty_cases.json").read_text(encoding="utf-8"))
DAY = D(2026, 4, 20)  # the day the legacy contexts were built on


def typed(name: str) -> PenaltyTexts:
    return facts_load(PenaltyTexts, migration.penalty_details_typed(LEGACY[name]["details"])["texts"])


# --- the conversion ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_every_legacy_case_converts_to_texts_that_load_typed(name):
    details = LEGACY[name]["details"]
    converted = migration.penalty_details_typed(details)
    assert converted["records"] == details["records"]
    assert "legacy" not in converted  # every key the old code wrote has its typed home
    texts = facts_load(PenaltyTexts, converted["texts"])
    # Stored again, the typed texts are the same JSON (nothing is lost on a round trip).
    assert facts_load(PenaltyTexts, facts_dump(texts)) == texts
    # Converting converted details changes nothing.
    assert migration.penalty_details_typed(converted) == converted


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,kind",
    [(name, kind) for name in sorted(LEGACY) for kind in sorted(LEGACY[name]["contexts"])],
)
def test_the_documents_print_the_same_from_the_migrated_texts(name, kind):
    case = LEGACY[name]
    snapshot = facts_load(PenaltyCaseSnapshot, case["snapshot"])
    info = facts_load(CaseInfoIn, case["info"])
    served = (("行政处罚决定书", "乌市监罚决〔2026〕9号"),) if kind == "service_receipt" else ()
    issue = Issue(kind=kind, number="乌测〔2026〕1号", on=DAY, served=served)
    context = document_context(case=info, snapshot=snapshot, texts=typed(name), issue=issue,
                               context=guard_context(on=DAY))
    assert _as_before_issue_13(facts_dump(context), case["contexts"][kind]) == case["contexts"][kind]


def _as_before_issue_13(new: dict, old: dict) -> dict:
    """The context with what issue 13 changed on purpose checked and put back as it was: the
    evidence is the case's records (the same items, each named with its date and person, in the
    order they were made, proving what the typed lines said), the 承办机构 is the agency and the
    submitter its 承办人, the discussion's review summary a sentence with a Chinese date, and the
    inquiry has a recorded answer to the 回避 question (none in these cases)."""
    new = dict(new)
    # Parts of the context added later for other procedures (行政许可, 征收征用 and the other acts) are
    # empty in a penalty case's documents.
    for later in ("permit", "act_decision"):
        if later not in old:
            assert new.pop(later) is None
    if "back_entry_note" not in old:  # added with 补录: empty for a step taken on its day
        assert new.pop("back_entry_note") == ""
    old_evidence = {e["name"]: e["proves"] for e in old["evidence"]}
    new_evidence = {e["name"].split("（")[0]: e["proves"] for e in new["evidence"]}
    assert new_evidence == old_evidence
    new["evidence"] = old["evidence"]
    if "inquiry" in new and new["inquiry"] is not None:
        assert new["inquiry"].pop("recusal_answer") == ""
    if new.get("review") is not None:
        review = new["review"] = dict(new["review"])
        assert review.pop("handler") == old["review"]["submitted_by"]
        assert review["submitted_by"] == new["agency"]["name"]
        review["submitted_by"] = old["review"]["submitted_by"]
    if new.get("discussion") is not None and new["discussion"]["review_summary"]:
        discussion = new["discussion"] = dict(new["discussion"])
        summary = old["discussion"]["review_summary"]
        day, _, rest = summary.partition("法制审核意见：")
        opinion, _, reasons = rest.partition("。")
        year, month, date = (int(part) for part in day.split("-"))
        assert discussion["review_summary"] == f"{year}年{month}月{date}日，法制审核意见为“{opinion}”。{reasons}"
        discussion["review_summary"] = summary
    return new


def old_digest(details: dict) -> str:
    """The digest as the code before the typed texts computed it (steps.decision_content_digest over
    the draft's texts, with the investigation's detail and bases where the draft had none)."""
    import hashlib

    texts, findings = details["decision"], details.get("findings", {})
    merged = {**texts, "detail": texts.get("detail") or findings.get("detail", ""),
              "bases": texts.get("bases") or findings.get("bases", [])}
    text = json.dumps(merged, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize("name", ["major", "no_penalty"])
def test_a_draft_reviewed_before_the_migration_keeps_its_digest_and_its_review(name):
    """第五十八条: a review covers the draft it saw, identified with its texts' digest; migrated, the
    digest of the same texts is the same, so the review still covers the draft (and a changed
    wording still does not)."""
    case = LEGACY[name]
    stored = case["facts"]["decision"]["content_digest"]
    texts = typed(name)
    assert texts.decision_digest() == stored == old_digest(case["details"])
    for request in case["facts"].get("review_requests", []):
        assert request["draft"].endswith(f"|{texts.decision_digest()}")
    reworded = replace(texts, decision=replace(texts.decision, reasoning=texts.decision.reasoning + "。"))
    assert reworded.decision_digest() != stored


def test_the_digest_is_the_one_the_old_code_computed_for_the_same_wording():
    # Values computed by the code before the typed texts for these very texts.
    penalty = DecisionTexts(outcome="penalty", reasoning="当事人违法事实清楚，依法应予处罚。", detail="没收涉案过期食品12瓶",
                            bases=("《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",))
    assert decision_content_digest(penalty) == "d5c59c58f95c85a6"
    assert decision_content_digest(DecisionTexts(outcome="no_penalty")) == "6815af08a3e1c6fb"
    # The investigation's detail and bases count where the draft has none (the document prints them).
    findings = Findings(detail=penalty.detail, bases=penalty.bases)
    assert decision_content_digest(replace(penalty, detail="", bases=()), findings) == "d5c59c58f95c85a6"
    # The fields added since count when filled: the education is part of what is reviewed.
    educated = DecisionTexts(outcome="no_penalty", education="已对当事人进行批评教育。")
    assert decision_content_digest(educated) != "6815af08a3e1c6fb"


def test_old_keys_are_converted_odd_values_tolerated_and_unknown_keys_kept():
    details = {
        "records": ["lead_record"],
        "officer_changes": [{"on": "2026-03-09", "by": "王局长", "from": [3, "4"], "to": [3, 5], "reason": "调岗"}],
        "reviews": [{"round": 1, "on": "2026-03-26", "opinion": "agree", "text": "同意。", "reviewer": "赵审核"}],
        "court": {"court": "乌审旗人民法院", "on": "2026-06-01", "result": "已执行"},
        "notes": [{"on": "2026-05-12", "text": "当事人要求转为普通程序"}],
        "party": {"birth_date": "1980-01-01"},
        "third_parties": ["王小五"],
        "secrets_or_privacy": True,
        "hearing": {"public": False},
        "opening": {"source": "complaint", "summary": None, "on": "not a date"},
        "payments": [{"on": "2026-04-02", "fen": "300000", "receipt": 123}, "junk"],
        "on_spot": {"occurred_at": "2026-05-12T10:00:00", "bases": "《某某条例》第十条"},
        "handwritten": {"note": "a key no code knows"},
    }
    converted = migration.penalty_details_typed(details)
    assert converted["records"] == ["lead_record"]
    assert converted["legacy"] == {"handwritten": {"note": "a key no code knows"}}
    texts = facts_load(PenaltyTexts, converted["texts"])
    assert (texts.officer_changes[0].from_ids, texts.officer_changes[0].to_ids) == ((3, 4), (3, 5))
    assert texts.reviews[0].reasons == "同意。"
    assert (texts.court.court, texts.court.result, texts.notes[0].text) == ("乌审旗人民法院", "已执行", "当事人要求转为普通程序")
    assert texts.party.birth_date == D(1980, 1, 1)
    assert texts.third_parties == ("王小五",) and texts.secrets_or_privacy and not texts.hearing.public
    assert (texts.opening.source, texts.opening.summary, texts.opening.on) == ("complaint", "", None)
    assert texts.payments == (replace(texts.payments[0], on=D(2026, 4, 2), fen=300000, receipt="123"),)
    assert texts.on_spot.bases == ("《某某条例》第十条",) and texts.on_spot.occurred_at.hour == 10
    # A case with no texts at all (a lead just registered) has empty ones.
    assert facts_load(PenaltyTexts, migration.penalty_details_typed({})["texts"]) == PenaltyTexts()


def test_typed_texts_refuse_a_value_of_the_wrong_type():
    with pytest.raises(FactsError):
        facts_load(PenaltyTexts, {"payments": [{"fen": "300000"}]})


def covers(restored, original) -> bool:
    """Whether `restored` holds everything `original` held (defaults may have been added)."""
    if isinstance(original, dict):
        return isinstance(restored, dict) and all(k in restored and covers(restored[k], v) for k, v in original.items())
    if isinstance(original, list):
        return (isinstance(restored, list) and len(restored) == len(original)
                and all(covers(r, o) for r, o in zip(restored, original, strict=True)))
    return restored == original


@pytest.mark.parametrize("name", sorted(LEGACY))
def test_backwards_gives_the_old_keys_back(name):
    details = LEGACY[name]["details"]
    restored = migration.penalty_details_untyped(migration.penalty_details_typed(details))
    assert covers(restored, details)


# --- one run of the migration on a database -----------------------------------------------------------
