"""Citations of the compulsory measures, written the way documents and refusals print them."""

from sanxiang.procedure.penalty.basis import COMPULSION_LAW, GUIDELINE_118, article

__all__ = ["COMPULSION_LAW", "GUIDELINE_118", "coercion_article"]


def coercion_article(*numbers: int, detail: str = "") -> str:
    """`coercion_article(25, detail="第一款")` → 《中华人民共和国行政强制法》第二十五条第一款."""
    return article(COMPULSION_LAW, *numbers, detail=detail)


ART = coercion_article
# 第十七条第一款 (not entrusted), 第三款 (only qualified officers); 第十八条 the general procedure.
ENTRUSTMENT_BASIS = ART(17, detail="第一款：行政强制措施权不得委托")
QUALIFIED_OFFICERS_BASIS = ART(17, detail="第三款") + "、" + ART(18, detail="第二项").removeprefix(COMPULSION_LAW)
APPROVAL_BASIS = ART(18, detail="第一项")
EMERGENCY_BASIS = ART(19)
CERTIFICATES_BASIS = ART(18, detail="第三项")
NOTIFY_BASIS = ART(18, detail="第四项")
INFORM_BASIS = ART(18, detail="第五项")
HEARD_BASIS = ART(18, detail="第六项")
RECORD_BASIS = ART(18, detail="第七项至第九项")
PROPERTY_BASIS = ART(23)
HANDOVER_BASIS = ART(24)
FREEZE_PROCEDURE_BASIS = ART(30, detail="第一款（履行第十八条第一项、第二项、第三项、第七项规定的程序）")
