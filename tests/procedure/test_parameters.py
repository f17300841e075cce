import datetime as dt

import pytest

from sanxiang.procedure.parameters import ParameterPeriod, parameters_default, parameters_parse

ON = dt.date(2026, 11, 26)


def test_every_default_parameter_cites_its_basis_and_flags_unverified_ones():
    parameters = parameters_default()
    assert parameters.names()
    for name in parameters.names():
        assert parameters[name].reference.strip(), name
    # legal_rules.md marks the 5% reviewer ratio unverified: it must stay a flagged parameter.
    assert parameters["team.legal_reviewer_min_ratio"].unverified
    assert parameters.value("team.legal_reviewer_min_ratio", on=ON) == 0.05


def test_a_parameter_without_reference_is_refused():
    with pytest.raises(ValueError, match="no reference"):
        parameters_parse("[x]\n[[x.values]]\nfrom = 2020-01-01\nvalue = 1\n")


def test_region_override_wins_only_inside_its_region_and_from_its_date():
    parameters = parameters_default().with_overrides(
        {"team.legal_reviewer_min_ratio": [ParameterPeriod(start=dt.date(2027, 1, 1), value=0.1, region="1506")]}
    )
    assert parameters.value("team.legal_reviewer_min_ratio", on=dt.date(2027, 3, 1), region="150626") == 0.1
    assert parameters.value("team.legal_reviewer_min_ratio", on=dt.date(2026, 12, 31), region="150626") == 0.05
    assert parameters.value("team.legal_reviewer_min_ratio", on=dt.date(2027, 3, 1), region="110105") == 0.05


def test_no_value_before_the_first_period():
    with pytest.raises(LookupError):
        parameters_default().value("team.min_officers_who_may_act", on=dt.date(2000, 1, 1))


def test_a_references_checking_note_is_kept_apart_from_the_basis_it_cites():
    """Pages and refusals cite the basis; the note saying what is still to be checked ("(unverified:
    …)", "（待核实…）") is for the legal staff's parameters page (issue 13 item 6)."""
    from sanxiang.procedure.parameters import reference_split

    assert reference_split("《行政处罚法》第四十四条；期限为地方规定 (unverified: the law sets no period)") == (
        "《行政处罚法》第四十四条；期限为地方规定", "unverified: the law sets no period"
    )
    assert reference_split("国办发〔2018〕118号（待核实：未见于原始文本）") == ("国办发〔2018〕118号", "待核实：未见于原始文本")
    assert reference_split("《民法典》第二百零三条（期间计算的一般规则）") == ("《民法典》第二百零三条（期间计算的一般规则）", "")
    parameters = parameters_default()
    for name in parameters.names():
        parameter = parameters[name]
        for text in [parameter.reference] + [p.reference for p in parameter.periods]:
            assert "unverified" not in text and "待核实" not in text, name
    assert parameters["team.legal_reviewer_min_ratio"].note == "待核实：未见于原始文本"
