"""Exchange with the provincial 行政执法监督信息系统 (行政执法监督条例, art. 37: `procedure.supervision.basis.regulation_article(37)`): JSON documents per
case, per decision and per year with their JSON Schemas (`formats`, `schemas/`), built from the
records (`selectors`), exported daily with a manifest of SHA-256 hashes and imported as assignments
from above (`services`, `schedule`, the `sanxiang exchange` command). See docs/exchange.md."""
