"""Legal bases as written by people ("《中华人民共和国食品安全法》第一百二十四条第一款") and as stored
({"law": "《…》", "article": "第…条…"})."""

import re

BASIS = re.compile(r"(《[^》]+》)\s*([^《；;\n]*)")


def legal_bases_parse(text: str) -> list[dict]:
    bases = []
    for law, article in BASIS.findall(text or ""):
        bases.append({"law": law.strip(), "article": article.strip(" ，,、。")})
    return bases
