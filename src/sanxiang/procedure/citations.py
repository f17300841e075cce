"""The legal bases that the Django side attaches to its refusals, help texts and notes.

The law lives in `procedure`: an app outside it never writes an article of a statute itself; it
names the citation here (or calls the rule that carries it), so that a change of the law, or of
its wording, is made in one place.
"""

from sanxiang.procedure.penalty.basis import PENALTY_LAW, penalty_article

PERSONAL_INFORMATION_LAW = "《中华人民共和国个人信息保护法》"

# 行政处罚 within the agency's legal competence; a matter belongs to its agency.
MATTER_COMPETENCE = penalty_article(17)
# The kinds of penalty the law lists.
PENALTY_KINDS_BASIS = penalty_article(9)
# A published procedure: every enforcement matter names its legal basis.
MATTER_LEGAL_BASIS = penalty_article(39)
# An entrusted organisation acts in the name of the organ that entrusted it.
ENTRUSTMENT = penalty_article(20)
# At least two officers with certificates carry out an investigation or inspection.
OFFICERS_ACT = penalty_article(42)
# The summary procedure (简易程序): a warning or a small fine decided on the spot.
SUMMARY_PROCEDURE = penalty_article(51)
# The whole process of enforcement is recorded, step by step, in its order.
PROCESS_RECORDED = penalty_article(47)
# Complex or major cases are decided by the leaders' collective discussion.
COLLECTIVE_DISCUSSION = penalty_article(57, detail="第二款")
# Published decisions are withdrawn, with a public statement, when changed or revoked.
PUBLICATION_WITHDRAWAL = penalty_article(48, detail="第二款")
# Personal information is not made public without a legal basis.
PERSONAL_INFORMATION_NOT_PUBLISHED = f"{PERSONAL_INFORMATION_LAW}第二十五条"
THIRD_PARTIES_NOT_NAMED = f"{PERSONAL_INFORMATION_NOT_PUBLISHED}；《浙江省行政处罚结果信息网上公开暂行办法》第七条"
# The limitation period runs to the day the act was discovered.
LIMITATION_DISCOVERY = penalty_article(36)
# A thing seized under the penalty law's evidence preservation is no compulsory measure.
EVIDENCE_PRESERVATION = penalty_article(56)
# No second fine for the same illegal act.
ONE_FINE_PER_ACT = penalty_article(29)
# Periods of the penalty law counted in working days.
WORKING_DAYS = penalty_article(85)

# How a legal basis is written, shown as an example in forms and templates.
LEGAL_BASIS_EXAMPLE = "《中华人民共和国食品安全法》第一百二十四条第一款"
MATTER_LEGAL_BASIS_EXAMPLE = MATTER_LEGAL_BASIS

__all__ = [
    "COLLECTIVE_DISCUSSION",
    "ENTRUSTMENT",
    "EVIDENCE_PRESERVATION",
    "LEGAL_BASIS_EXAMPLE",
    "LIMITATION_DISCOVERY",
    "MATTER_COMPETENCE",
    "MATTER_LEGAL_BASIS",
    "MATTER_LEGAL_BASIS_EXAMPLE",
    "OFFICERS_ACT",
    "ONE_FINE_PER_ACT",
    "PENALTY_KINDS_BASIS",
    "PENALTY_LAW",
    "PERSONAL_INFORMATION_NOT_PUBLISHED",
    "PROCESS_RECORDED",
    "PUBLICATION_WITHDRAWAL",
    "SUMMARY_PROCEDURE",
    "THIRD_PARTIES_NOT_NAMED",
    "WORKING_DAYS",
]
