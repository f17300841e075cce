"""Public, read-only endpoints from which anyone can verify the ledger: the latest signed
checkpoint, inclusion and consistency proofs, and the public key. Entry bodies are never served
here: they hold internal case data."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from sanxiang.ledger import keys, selectors


def _error(status: int, code: str, message: str, field: str | None = None) -> JsonResponse:
    error = {"code": code, "message": message}
    if field:
        error["field"] = field
    return JsonResponse({"error": error}, status=status)


def _damaged(exc: selectors.LedgerDamagedError) -> JsonResponse:
    """409: the request is sound but the stored ledger cannot prove it (a stored hash missing, or
    the hashes lead to another root than the signed one); the place is named."""
    error: dict = {"code": "ledger_damaged", "message": exc.message}
    if exc.node is not None:
        error["node"] = {"level": exc.node[0], "index": exc.node[1]}
    if exc.checkpoint is not None:
        error["checkpoint"] = exc.checkpoint
    return JsonResponse({"error": error}, status=409)


class _BadParameter(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message


def _int_param(request: HttpRequest, name: str, *, required: bool) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        if required:
            raise _BadParameter(name, f"parameter {name} is required")
        return None
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        raise _BadParameter(name, f"parameter {name} must be a non-negative integer")
    return int(raw)


def _ledger_param(request: HttpRequest) -> int:
    """`?ledger=<name>` picks a county's ledger; without it, the default ledger."""
    name = request.GET.get("ledger") or "default"
    found = selectors.ledger_by_name(name) if len(name) <= 64 else None
    if found is None:
        raise _BadParameter("ledger", "no ledger has this name")
    return found


@require_safe
def checkpoint_latest_view(request: HttpRequest) -> HttpResponse:
    try:
        ledger_id = _ledger_param(request)
    except _BadParameter as exc:
        return _error(400, "invalid_parameter", exc.message, exc.field)
    checkpoint = selectors.checkpoint_latest(ledger_id)
    if checkpoint is None:
        return _error(404, "no_checkpoint", "no checkpoint has been issued yet")
    response = HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def inclusion_proof_view(request: HttpRequest) -> JsonResponse:
    try:
        seq = _int_param(request, "seq", required=True)
        size = _int_param(request, "size", required=False)
        proof = selectors.inclusion_proof_get(seq=seq, size=size, ledger_id=_ledger_param(request))
    except (_BadParameter, selectors.ProofRequestError) as exc:
        return _error(400, "invalid_parameter", exc.message, exc.field)
    except selectors.LedgerDamagedError as exc:
        return _damaged(exc)
    return JsonResponse(proof.as_json())


@require_safe
def consistency_proof_view(request: HttpRequest) -> JsonResponse:
    try:
        first = _int_param(request, "first", required=True)
        second = _int_param(request, "second", required=False)
        proof = selectors.consistency_proof_get(first=first, second=second, ledger_id=_ledger_param(request))
    except (_BadParameter, selectors.ProofRequestError) as exc:
        return _error(400, "invalid_parameter", exc.message, exc.field)
    except selectors.LedgerDamagedError as exc:
        return _damaged(exc)
    return JsonResponse(proof.as_json())


@require_safe
def public_key_view(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(selectors.public_key_get())
    except keys.LedgerKeyMissingError:
        # A read never creates the key (a lost key file is not replaced behind the county's back).
        return _error(503, "ledger_key_missing", "账本签名密钥缺失，请联系系统管理员恢复密钥 (the ledger signing key is missing)")
