"""The supervision pages' citations, from `procedure` (pages never write an article themselves)."""

from sanxiang.procedure.supervision.basis import PAGE_BASIS


def supervision_basis(request) -> dict:
    return {"supervision_basis": PAGE_BASIS}
