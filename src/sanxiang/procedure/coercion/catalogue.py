"""行政强制措施's procedures in the catalogue (查封、扣押 and 冻结): registered here."""
