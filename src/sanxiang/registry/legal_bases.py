"""Legal bases as written by people (procedure.citations.LEGAL_BASIS_EXAMPLE) and as stored
({"law": "《…》", "article": "第…条…"})."""

import re

BASIS = re.compile(r"(《[^》]+》)\s*([^《；;\n]*)")


def legal_bases_parse(text: str) -> list[dict]:
    bases = []
    for law, article in BASIS.findall(text or ""):
        bases.append({"law": law.strip(), "article": article.strip(" ，,、。")})
    return bases
