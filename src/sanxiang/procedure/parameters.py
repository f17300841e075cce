"""Legal periods and thresholds as data with citations, in the style of OpenFisca's parameter
files. Values live in `parameters/*.toml`; each has a reference to its legal basis, and those the
legal reference marks unverified say so.

The value in force is chosen by date, then by the most specific region (a GB/T 2260 code prefix)
and sector: a county or a sector can override a province's value without touching code.
"""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sanxiang.procedure.violations import Violation

PARAMETER_DIR = Path(__file__).with_name("parameters")


class ParameterMissing(LookupError):
    """A parameter has no value in force on the date asked for (the law that sets it had not
    taken effect, or a region's value starts later). The engine and the deadlines turn it into a
    Violation carrying this reason; it never reaches a page or the API as an exception."""

    def __init__(self, parameter: "Parameter", on: dt.date):
        self.parameter = parameter
        self.on = on
        super().__init__(f"parameter {parameter.name} has no value in force on {on.isoformat()}")

    @property
    def violation(self) -> Violation:
        earliest = min((p.start for p in self.parameter.periods), default=None)
        since = f"（最早自{earliest.isoformat()}起施行）" if earliest else ""
        label = self.parameter.description or self.parameter.name
        return Violation(
            f"parameter.missing.{self.parameter.name}",
            f"“{label}”在{self.on.isoformat()}没有施行中的规定{since}，无法据此计算，请核对有关日期",
            self.parameter.reference,
            None,
        )


@dataclass(frozen=True)
class ParameterPeriod:
    start: dt.date
    value: Any
    region: str = ""
    sector: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    reference: str
    unverified: bool
    unit: str
    periods: tuple[ParameterPeriod, ...]
    # What the legal reference says is still to be checked, taken out of `reference` (which is
    # cited on pages and in refusals): listed on the legal staff's parameters page only.
    note: str = ""

    def value_on(self, on: dt.date, *, region: str = "", sector: str = "") -> Any:
        return self.period_on(on, region=region, sector=sector).value

    def period_on(self, on: dt.date, *, region: str = "", sector: str = "") -> ParameterPeriod:
        candidates = [
            p
            for p in self.periods
            if p.start <= on and region.startswith(p.region) and (not p.sector or p.sector == sector)
        ]
        if not candidates:
            raise ParameterMissing(self, on)
        # Most specific region first, then a sector match, then the latest start date.
        return max(candidates, key=lambda p: (len(p.region), bool(p.sector), p.start))


class ParameterSet:
    def __init__(self, parameters: dict[str, Parameter]):
        self._parameters = parameters

    def __getitem__(self, name: str) -> Parameter:
        return self._parameters[name]

    def __contains__(self, name: str) -> bool:
        return name in self._parameters

    def names(self) -> list[str]:
        return sorted(self._parameters)

    def value(self, name: str, *, on: dt.date, region: str = "", sector: str = "") -> Any:
        return self._parameters[name].value_on(on, region=region, sector=sector)

    def with_overrides(self, overrides: dict[str, list[ParameterPeriod]]) -> "ParameterSet":
        """A copy with extra periods (e.g. a deployment's local values) added."""
        merged = dict(self._parameters)
        for name, periods in overrides.items():
            base = merged[name]
            merged[name] = Parameter(
                base.name, base.description, base.reference, base.unverified, base.unit, base.periods + tuple(periods),
                base.note,
            )
        return ParameterSet(merged)


def _flatten(prefix: str, table: dict[str, Any]):
    if "values" in table and isinstance(table["values"], list):
        yield prefix, table
        return
    for key, sub in table.items():
        if isinstance(sub, dict):
            yield from _flatten(f"{prefix}.{key}" if prefix else key, sub)


# The checking notes written into a reference: "(unverified: …)", "(platform rule, not law)",
# "（待核实：…）". They are for the legal staff, not part of the basis an officer is shown.
_NOTE = re.compile(r"\s*(\((?:unverified|platform rule|local practice)[^()]*\)|（待核实[^（）]*）)")


def reference_split(reference: str) -> tuple[str, str]:
    """A reference as (the basis to cite, its checking notes)."""
    notes = [m.group(1).strip("()（）") for m in _NOTE.finditer(reference)]
    return _NOTE.sub("", reference).strip(), "；".join(notes)


def parameters_parse(text: str) -> dict[str, Parameter]:
    parameters = {}
    for name, table in _flatten("", tomllib.loads(text)):
        if "reference" not in table:
            raise ValueError(f"parameter {name} has no reference: every value needs its legal basis")
        periods = tuple(
            ParameterPeriod(
                start=period["from"],
                value=period["value"],
                region=str(period.get("region", "")),
                sector=str(period.get("sector", "")),
                reference=reference_split(str(period.get("reference", table["reference"])))[0],
            )
            for period in table["values"]
        )
        reference, note = reference_split(table["reference"])
        parameters[name] = Parameter(
            name=name,
            description=table.get("description", ""),
            reference=reference,
            note=note,
            unverified=bool(table.get("unverified", False)),
            unit=table.get("unit", ""),
            periods=periods,
        )
    return parameters


@cache
def parameters_default() -> ParameterSet:
    parameters: dict[str, Parameter] = {}
    for path in sorted(PARAMETER_DIR.glob("*.toml")):
        parameters.update(parameters_parse(path.read_text(encoding="utf-8")))
    return ParameterSet(parameters)
