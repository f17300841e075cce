"""The 422's field is the one the client sent: the tags pydantic adds to `loc` for the member of a
union that refused a value are left out, and the members' refusals of one field are one violation."""

from typing import Annotated

from ninja import NinjaAPI, Schema
from ninja.testing import TestClient
from pydantic import AfterValidator

from sanxiang.api.errors import error_handlers_install

Checked = Annotated[str, AfterValidator(lambda value: value)]


class UnionIn(Schema):
    score: Checked | float | None = None
    ids: list[int] | int | None = None


api = NinjaAPI(urls_namespace="error-fields-test")
error_handlers_install(api)


@api.post("/union")
def union(request, payload: UnionIn):
    return {}


def test_a_union_refusing_a_value_names_the_field_once():
    answer = TestClient(api).post("/union", json={"score": [1], "ids": {"a": 1}})
    assert answer.status_code == 422, answer.content
    assert sorted(v["field"] for v in answer.json()["violations"]) == ["ids", "score"]
