"""The law and the plan's rules for the 司法局's assessment work (issue 15): indicators (formula,
numerator, denominator, legal hook, version), targets, report periods, training hours, with their
basis. Pure Python, no Django."""
