"""A seeded, deterministic generator of registry data for one or more Inner Mongolia banners.

It produces plain specs (dataclasses), not model rows, so that the demo loads them through the
registry services and benchmarks can generate ten or a hundred times the volume without a
database. The same seed and date always give the same data; every identifier passes its check
algorithm and is unique across the whole output, whatever the scale.

    generator = CountyGenerator(seed=2022, today=dt.date(2026, 11, 26))          # 乌审旗
    big = CountyGenerator(seed=7, scale=10, today=dt.date(2026, 11, 26))          # ten banners

Each kind of record draws from its own random stream, so that asking for more parties does not
change the officers, and the agencies (and so their credit codes) do not depend on the date.
"""

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sanxiang.demo import data
from sanxiang.demo.data import AgencyTemplate, County, LegalBasis
from sanxiang.procedure.identifiers import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    id_number_check_character,
    organization_code_check_character,
)

DEMO_SEED = 2022
BASE_AGENCIES, BASE_OFFICERS, BASE_PARTIES = 30, 300, 40

KIND_CODES = {
    data.PERMIT: "XK",
    data.PENALTY: "CF",
    data.COERCION: "QZ",
    data.INSPECTION: "JC",
    data.EXPROPRIATION: "ZS",
    data.REQUISITION: "ZY",
}
IRREGULAR_STAFFING = ("agency_dispatched", "support_staff")
DEPUTY_POSTS = {
    "局长": "副局长",
    "主任": "副主任",
    "大队长": "副大队长",
    "综合行政执法队队长": "综合行政执法队副队长",
}


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    credit_code: str
    kind: str
    entrusting_key: str  # key of the entrusting agency, "" unless entrusted
    region_code: str
    parent_government: str
    legal_basis: str
    enforcement_fields: str
    contact_phone: str
    address: str
    is_judicial_bureau: bool = False
    is_main: bool = False

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of `agency_create`, apart from the entrusting agency (an object)."""
        return {
            "name": self.name,
            "credit_code": self.credit_code,
            "kind": self.kind,
            "region_code": self.region_code,
            "parent_government": self.parent_government,
            "legal_basis": self.legal_basis,
            "enforcement_fields": self.enforcement_fields,
            "contact_phone": self.contact_phone,
            "address": self.address,
            "is_judicial_bureau": self.is_judicial_bureau,
        }


@dataclass(frozen=True)
class OfficerSpec:
    key: str
    agency_key: str
    name: str
    post: str
    id_number: str
    staffing_type: str
    department: str = ""
    has_legal_qualification: bool = False
    is_legal_reviewer: bool = False
    status: str = "active"
    demo_role: str = ""  # the demo account this officer logs in as, if any

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "post": self.post,
            "department": self.department,
            "id_number": self.id_number,
            "staffing_type": self.staffing_type,
            "has_legal_qualification": self.has_legal_qualification,
            "is_legal_reviewer": self.is_legal_reviewer,
            "status": self.status,
        }


@dataclass(frozen=True)
class CertificateSpec:
    officer_key: str
    number: str
    issuing_authority: str
    enforcement_fields: str
    enforcement_areas: str
    valid_from: dt.date
    valid_to: dt.date
    status: str = "valid"

    def fields(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issuing_authority": self.issuing_authority,
            "enforcement_fields": self.enforcement_fields,
            "enforcement_areas": self.enforcement_areas,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "status": self.status,
        }


@dataclass(frozen=True)
class MatterSpec:
    agency_key: str
    code: str
    name: str
    kind: str
    enforcement_field: str
    legal_bases: tuple[LegalBasis, ...]

    def fields(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "enforcement_field": self.enforcement_field,
            "legal_bases": [basis.as_dict() for basis in self.legal_bases],
        }


@dataclass(frozen=True)
class PartySpec:
    agency_key: str
    kind: str
    name: str
    credit_code: str = ""
    legal_representative: str = ""
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    address: str = ""

    def fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "credit_code": self.credit_code,
            "legal_representative": self.legal_representative,
            "id_type": self.id_type,
            "id_number": self.id_number,
            "phone": self.phone,
            "address": self.address,
        }


@dataclass(frozen=True)
class _PlannedAgency:
    spec: AgencySpec
    template: AgencyTemplate
    county: County
    number: int  # 1-based position within its county, for matter codes
    town: str = ""
    weight: int = 0
    reviewers: int | None = None
    irregular: int = 0
    is_demo_main: bool = False

    @property
    def area(self) -> str:
        return self.town or self.county.name


@dataclass
class _Output:
    agencies: list[AgencySpec] = field(default_factory=list)
    officers: list[OfficerSpec] = field(default_factory=list)
    certificates: list[CertificateSpec] = field(default_factory=list)
    matters: list[MatterSpec] = field(default_factory=list)
    parties: list[PartySpec] = field(default_factory=list)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def counties() -> Iterator[County]:
    """The demo banner first, then real banners, then numbered stand-ins for any further scale."""
    yield data.WUSHEN
    yield from data.MORE_COUNTIES
    for n in range(1, 1000):
        yield County(
            f"159{n:03d}", f"演示旗{n:03d}", f"演示旗{n:03d}", "演示市", "159000", "演示市人民政府", "0477"
        )
    raise ValueError("too many counties requested")


class CountyGenerator:
    """Registry data for `agencies` agencies (30 per banner), `officers` officers spread over them
    by realistic weights, every catalogued matter of those agencies (or the first `matters`,
    spread evenly) and `parties` parties. `scale` multiplies the defaults."""

    def __init__(
        self,
        *,
        seed: int = DEMO_SEED,
        scale: int = 1,
        agencies: int | None = None,
        officers: int | None = None,
        matters: int | None = None,
        parties: int | None = None,
        today: dt.date | None = None,
    ):
        if scale < 1:
            raise ValueError("scale must be at least 1")
        self.seed = seed
        self.today = today or dt.date.today()
        self.agency_count = BASE_AGENCIES * scale if agencies is None else agencies
        self.officer_count = BASE_OFFICERS * scale if officers is None else officers
        self.matter_count = matters
        self.party_count = BASE_PARTIES * scale if parties is None else parties
        if self.agency_count < 1 or self.officer_count < self.agency_count:
            raise ValueError("need at least one agency and one officer per agency")
        self._used_codes: set[str] = set()
        self._used_ids: set[str] = set()
        self._used_names: set[str] = set()
        self._certificate_serials: dict[str, int] = {}

    # --- public API ---------------------------------------------------------------------------

    def agencies(self) -> tuple[AgencySpec, ...]:
        return tuple(self._output.agencies)

    def officers(self) -> tuple[OfficerSpec, ...]:
        return tuple(self._output.officers)

    def certificates(self) -> tuple[CertificateSpec, ...]:
        return tuple(self._output.certificates)

    def matters(self) -> tuple[MatterSpec, ...]:
        return tuple(self._output.matters)

    def parties(self) -> tuple[PartySpec, ...]:
        return tuple(self._output.parties)

    def judicial_bureau(self) -> AgencySpec:
        return next(a for a in self._output.agencies if a.is_judicial_bureau)

    def main_agency(self) -> AgencySpec:
        return next(a for a in self._output.agencies if a.is_main)

    # --- generation ---------------------------------------------------------------------------

    def _rng(self, stream: str) -> random.Random:
        # String seeds are hashed with SHA-512, so streams are stable across runs and platforms.
        return random.Random(f"sanxiang-demo/{self.seed}/{stream}")

    @cached_property
    def _output(self) -> _Output:
        # One fixed order, because identifiers are drawn unique across all kinds of records.
        output = _Output()
        plan = self._plan_agencies()
        output.agencies = [p.spec for p in plan]
        officers_by_agency = self._allocate_officers(plan)
        people, certificates = self._rng("officers"), self._rng("certificates")
        for planned, count in zip(plan, officers_by_agency, strict=True):
            self._staff(planned, count, people, certificates, output)
        output.matters = self._catalogue(plan)
        output.parties = self._parties(plan)
        return output

    def _plan_agencies(self) -> list[_PlannedAgency]:
        rng = self._rng("agencies")
        plan: list[_PlannedAgency] = []
        for county_index, county in enumerate(counties()):
            rows: list[tuple[AgencyTemplate, str, int, int | None, int]] = [
                (t, "", t.weight, t.reviewers, t.irregular) for t in data.AGENCY_TEMPLATES
            ]
            for i, town in enumerate(county.towns):
                weight = county.town_weights[i] if i < len(county.town_weights) else data.TOWN_TEMPLATE.weight
                rows.append(
                    (
                        data.TOWN_TEMPLATE,
                        town,
                        weight,
                        data.TOWN_REVIEWERS.get(town) if county is data.WUSHEN else None,
                        data.TOWN_IRREGULAR.get(town, 0) if county is data.WUSHEN else 0,
                    )
                )
            keys: dict[str, str] = {}
            for number, (template, town, weight, reviewers, irregular) in enumerate(rows, start=1):
                if len(plan) == self.agency_count:
                    return plan
                key = f"{county.code}-{template.key}" + (f"-{number:02d}" if town else "")
                keys[template.key] = key
                spec = self._agency_spec(rng, county, template, town, key, keys)
                plan.append(
                    _PlannedAgency(
                        spec,
                        template,
                        county,
                        number,
                        town,
                        weight,
                        reviewers,
                        irregular,
                        is_demo_main=county_index == 0 and template.is_main,
                    )
                )
        return plan

    def _agency_spec(
        self,
        rng: random.Random,
        county: County,
        template: AgencyTemplate,
        town: str,
        key: str,
        keys: dict[str, str],
    ) -> AgencySpec:
        names = {
            "county": county.prefix,
            "county_short": county.name,
            "city": county.city,
            "city_government": county.city_government,
            "town": town,
        }
        region = county.city_code if template.credit_region == "city" else county.code
        organization = "4" if template.credit_prefix == "12" else "0"
        return AgencySpec(
            key=key,
            name=template.name.format(**names),
            credit_code=self._credit_code(rng, template.credit_prefix + region, organization),
            kind=template.kind,
            entrusting_key=keys[template.entrusting] if template.entrusting else "",
            region_code=county.code,
            parent_government=template.parent.format(**names),
            legal_basis=template.legal_basis.format(**names),
            enforcement_fields="、".join(template.fields),
            contact_phone=self._landline(rng, county),
            address=self._address(rng, county, town or county.seat),
            is_judicial_bureau=template.is_judicial_bureau,
            is_main=template.is_main and county is data.WUSHEN,
        )

    def _allocate_officers(self, plan: list[_PlannedAgency]) -> list[int]:
        """Head counts by weight (largest remainder), with a floor of three so that only the
        deliberately understaffed agencies (two officers) start short of people who may act."""
        floors = [2 if p.template.understaffed else 3 for p in plan]
        if sum(floors) > self.officer_count:
            floors = [1] * len(plan)
        counts = [floors[i] if p.template.understaffed else 0 for i, p in enumerate(plan)]
        free = [i for i, p in enumerate(plan) if not p.template.understaffed]
        budget = self.officer_count - sum(counts)
        if not free:
            counts[0] += budget
            return counts
        total_weight = sum(plan[i].weight for i in free)
        shares = {i: budget * plan[i].weight / total_weight for i in free}
        for i in free:
            counts[i] = max(floors[i], math.floor(shares[i]))
        difference = budget - sum(counts[i] for i in free)
        by_remainder = sorted(free, key=lambda i: shares[i] - math.floor(shares[i]), reverse=True)
        for step in range(max(difference, 0)):
            counts[by_remainder[step % len(by_remainder)]] += 1
        for _ in range(max(-difference, 0)):
            # The floors pushed some agencies up: take back from those furthest above their share.
            above = [i for i in free if counts[i] > floors[i]]
            counts[max(above, key=lambda i: counts[i] - shares[i])] -= 1
        return counts

    def _staff(
        self,
        planned: _PlannedAgency,
        count: int,
        people: random.Random,
        certificates: random.Random,
        output: _Output,
    ) -> None:
        template = planned.template
        wanted_reviewers = planned.reviewers if planned.reviewers is not None else math.ceil(0.05 * count)
        reviewers = min(wanted_reviewers, count - 1)
        irregular = min(planned.irregular, count - 1 - reviewers)
        regular = count - 1 - reviewers - irregular
        roles = ["head"] + ["reviewer"] * reviewers + ["regular"] * regular + ["irregular"] * irregular
        deputy = DEPUTY_POSTS.get(template.head_post) if count >= 8 else None
        for index, role in enumerate(roles):
            key = f"{planned.spec.key}-{index + 1:03d}"
            demo_role = ""
            if planned.is_demo_main and role == "head":
                demo_role = "agency_head"
            elif planned.is_demo_main and role == "reviewer" and index == 1:
                demo_role = "reviewer"
            elif planned.is_demo_main and role == "regular" and index == 2 + reviewers:
                demo_role = "officer"
            male = people.random() < (0.8 if role == "head" else 0.6)
            if role == "irregular":
                staffing = IRREGULAR_STAFFING[(index - 1 - reviewers - regular) % len(IRREGULAR_STAFFING)]
            else:
                staffing = self._weighted(people, template.staffing)
            if role == "head":
                post = template.head_post
            elif role == "reviewer":
                post = template.reviewer_post if index == 1 else "法制审核员"
            elif role == "irregular":
                post = "协管员" if staffing == "agency_dispatched" else "驾驶员"
            elif deputy and index == 1 + reviewers:
                post = deputy
            else:
                post = self._post(people, planned)
            if role == "reviewer":
                qualified = demo_role == "reviewer" or people.random() < (0.75 if index == 1 else 0.6)
            else:
                qualified = people.random() < 0.03
            status = "active"
            if role == "regular" and not demo_role and post != deputy and people.random() < 0.02:
                status = people.choice(("transferred", "retired"))
            officer = OfficerSpec(
                key=key,
                agency_key=planned.spec.key,
                name=self._person_name(people, male=male),
                post=post,
                department=self._department(planned, role, post, index),
                id_number=self._id_number(
                    people, self._birthplace(people, planned.county), male=male, ages=(24, 58)
                ),
                staffing_type=staffing,
                has_legal_qualification=qualified,
                is_legal_reviewer=role == "reviewer",
                status=status,
                demo_role=demo_role,
            )
            output.officers.append(officer)
            if status != "active":
                scenario = "revoked"
            elif role == "head" or demo_role:
                scenario = "long"
            elif template.understaffed:
                scenario = "expired"
            elif role == "irregular":
                # Most hold no certificate; the first of a larger group still holds one, which
                # is what the judicial bureau must find.
                scenario = "valid" if index == 1 + reviewers + regular and irregular >= 2 else "none"
            else:
                scenario = self._weighted(
                    certificates, [(s.name, s.share) for s in data.CERTIFICATE_SCENARIOS]
                )
            output.certificates += self._certificates(certificates, planned, officer, scenario)

    def _certificates(
        self, rng: random.Random, planned: _PlannedAgency, officer: OfficerSpec, scenario: str
    ) -> list[CertificateSpec]:
        today, years = self.today, data.CERTIFICATE_YEARS

        def period_from(start: dt.date) -> tuple[dt.date, dt.date]:
            return start, add_years(start, years) - dt.timedelta(days=1)

        def period_to(end: dt.date) -> tuple[dt.date, dt.date]:
            return add_years(end + dt.timedelta(days=1), -years), end

        window = data.EXPIRY_WARNING_DAYS
        full = years * 365
        periods: list[tuple[dt.date, dt.date, str]] = []
        if scenario == "none":
            return []
        if scenario == "long":
            periods.append((*period_from(today - dt.timedelta(days=rng.randint(30, 2 * 365))), "valid"))
        elif scenario in ("valid", "suspended", "revoked"):
            start = today - dt.timedelta(days=rng.randint(30, full - window - 2))
            periods.append((*period_from(start), scenario))
        elif scenario == "expiring":
            periods.append((*period_to(today + dt.timedelta(days=rng.randint(1, window))), "valid"))
        elif scenario == "expired":
            periods.append((*period_to(today - dt.timedelta(days=rng.randint(1, 400))), "valid"))
        elif scenario == "renewed":
            start = today - dt.timedelta(days=rng.randint(30, 360))
            lapse = rng.randint(1, 120)
            periods.append((*period_to(start - dt.timedelta(days=lapse)), "valid"))
            periods.append((*period_from(start), "valid"))
        else:
            raise ValueError(f"unknown certificate scenario {scenario!r}")
        return [
            CertificateSpec(
                officer_key=officer.key,
                number=self._certificate_number(planned.county, valid_from),
                issuing_authority=planned.county.city_government,
                enforcement_fields=planned.spec.enforcement_fields,
                enforcement_areas=planned.area,
                valid_from=valid_from,
                valid_to=valid_to,
                status=status,
            )
            for valid_from, valid_to, status in periods
        ]

    def _catalogue(self, plan: list[_PlannedAgency]) -> list[MatterSpec]:
        per_agency: list[list[MatterSpec]] = []
        for planned in plan:
            sequence: dict[str, int] = {}
            specs = []
            for template in planned.template.matters:
                sequence[template.kind] = sequence.get(template.kind, 0) + 1
                code = f"{planned.county.code}-{KIND_CODES[template.kind]}-{planned.number:02d}{sequence[template.kind]:02d}"
                specs.append(
                    MatterSpec(
                        planned.spec.key, code, template.name, template.kind, template.field, template.bases
                    )
                )
            per_agency.append(specs)
        available = sum(len(specs) for specs in per_agency)
        wanted = available if self.matter_count is None else self.matter_count
        if wanted > available:
            raise ValueError(f"the catalogue of these {len(plan)} agencies has only {available} matters")
        # Take matters round-robin, so that a smaller catalogue still covers every agency.
        chosen: set[str] = set()
        depth = 0
        while len(chosen) < wanted:
            for specs in per_agency:
                if depth < len(specs) and len(chosen) < wanted:
                    chosen.add(specs[depth].code)
            depth += 1
        return [spec for specs in per_agency for spec in specs if spec.code in chosen]

    def _parties(self, plan: list[_PlannedAgency]) -> list[PartySpec]:
        rng = self._rng("parties")
        registering = [p for p in plan if p.template.party_weight] or plan
        weights = [p.template.party_weight or 1 for p in registering]
        kinds = (
            ("legal_person", 40),
            ("individual_business", 25),
            ("natural_person", 30),
            ("other_organization", 5),
        )
        parties = []
        for _ in range(self.party_count):
            planned = rng.choices(registering, weights=weights)[0]
            parties.append(self._party(rng, planned, self._weighted(rng, kinds)))
        return parties

    def _party(self, rng: random.Random, planned: _PlannedAgency, kind: str) -> PartySpec:
        county = planned.county
        place = planned.town or rng.choice(county.towns or (county.seat,) or ("",))
        trades = planned.template.party_trades or ("商贸",)
        person_male = rng.random() < 0.7
        person = self._person_name(rng, male=person_male)
        address = self._address(rng, county, place)
        if kind == "natural_person":
            return PartySpec(
                planned.spec.key,
                kind,
                person,
                id_type="resident_id_card",
                id_number=self._id_number(
                    rng, self._birthplace(rng, county), male=person_male, ages=(18, 75)
                ),
                phone=self._mobile(rng),
                address=address,
            )
        if kind == "individual_business":
            name = self._unique_name(
                rng,
                lambda: (
                    f"{county.prefix}{place}{rng.choice((person, *data.TRADE_NAMES))}{rng.choice(data.SHOP_KINDS)}"
                ),
            )
            return PartySpec(
                planned.spec.key,
                kind,
                name,
                credit_code=self._credit_code(rng, "92" + county.code, "MA"),
                legal_representative=person,
                phone=self._mobile(rng),
                address=address,
            )
        if kind == "other_organization":
            name = self._unique_name(
                rng,
                lambda: (
                    f"{county.prefix}{rng.choice(data.TRADE_NAMES)}{rng.choice(trades)}服务中心（普通合伙）"
                ),
            )
            prefix = "91"
        elif rng.random() < 0.25 and set(trades) & {"牧业", "养殖", "种业", "农资"}:
            # 农民专业合作社 register under 工商 with 机构类别码 3.
            name = self._unique_name(
                rng, lambda: f"{county.prefix}{place}{rng.choice(data.TRADE_NAMES)}养殖专业合作社"
            )
            prefix = "93"
        else:
            name = self._unique_name(
                rng,
                lambda: rng.choice(
                    (
                        f"{county.prefix}{rng.choice(data.TRADE_NAMES)}{rng.choice(trades)}有限公司",
                        f"内蒙古{rng.choice(data.TRADE_NAMES)}{rng.choice(trades)}有限责任公司",
                        f"{county.city}{rng.choice(data.TRADE_NAMES)}{rng.choice(trades)}有限公司",
                    )
                ),
            )
            prefix = "91"
        return PartySpec(
            planned.spec.key,
            kind,
            name,
            credit_code=self._credit_code(rng, prefix + county.code, "MA"),
            legal_representative=person,
            phone=self._landline(rng, county),
            address=address,
        )

    # --- identifiers and small pieces ---------------------------------------------------------

    def _credit_code(self, rng: random.Random, first8: str, organization: str) -> str:
        """A GB 32100 code whose 主体标识码 is a valid GB 11714 organisation code. Organs and
        institutions carry numeric codes ("0…", "4…"); firms registered since 2015 "MA…"."""
        while True:
            if organization == "MA":
                body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(6))
            else:
                body = organization + "".join(rng.choice("0123456789") for _ in range(7))
            first17 = first8 + body + organization_code_check_character(body)
            code = first17 + credit_code_check_character(first17)
            if code not in self._used_codes:
                self._used_codes.add(code)
                return code

    def _id_number(self, rng: random.Random, region: str, *, male: bool, ages: tuple[int, int]) -> str:
        """GB 11643: the sequence number is odd for men and even for women."""
        while True:
            birth = self.today - dt.timedelta(
                days=rng.randint(int(ages[0] * 365.25) + 1, int(ages[1] * 365.25))
            )
            sequence = 2 * rng.randrange(0, 500) + 1 if male else 2 * rng.randrange(1, 500)
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_number_check_character(first17)
            if number not in self._used_ids:
                self._used_ids.add(number)
                return number

    def _birthplace(self, rng: random.Random, county: County) -> str:
        neighbours = data.CITY_COUNTY_CODES.get(county.city_code, (county.code,))
        return county.code if rng.random() < 0.75 else rng.choice(neighbours)

    def _certificate_number(self, county: County, valid_from: dt.date) -> str:
        """Region code, year of issue, serial: 150626 22 000123."""
        serial = self._certificate_serials.get(county.code, 0) + 1
        self._certificate_serials[county.code] = serial
        return f"{county.code}{valid_from.year % 100:02d}{serial:06d}"

    def _person_name(self, rng: random.Random, *, male: bool) -> str:
        if rng.random() < 0.35:
            given = rng.choice(data.MONGOLIAN_MALE if male else data.MONGOLIAN_FEMALE)
            return (rng.choice(data.MONGOLIAN_SURNAMES) + given) if rng.random() < 0.2 else given
        return rng.choice(data.HAN_SURNAMES) + rng.choice(
            data.HAN_GIVEN_MALE if male else data.HAN_GIVEN_FEMALE
        )

    @staticmethod
    def _department(planned: _PlannedAgency, role: str, post: str, index: int) -> str:
        """The officer's 内设机构: a post naming its 股 or 所 keeps it; the others are spread over the
        agency's departments in turn (no random draw, so the rest of the county stays the same)."""
        template = planned.template
        if role == "head":
            return template.head_department
        if role == "reviewer":
            return template.reviewer_department
        for unit in ("所", "股"):
            if unit in post and not post.startswith(unit):
                return post[: post.index(unit) + 1]
        return template.departments[index % len(template.departments)]

    def _post(self, rng: random.Random, planned: _PlannedAgency) -> str:
        post = rng.choice(planned.template.posts)
        if post.startswith("市场监督管理所") and planned.county.towns:
            town = rng.choice(planned.county.towns).removesuffix("镇").removesuffix("苏木")
            post = town + post
        return post

    def _unique_name(self, rng: random.Random, make) -> str:
        for _ in range(50):
            name = make()
            if name not in self._used_names:
                self._used_names.add(name)
                return name
        raise ValueError("ran out of distinct party names; lower the number of parties per county")

    def _landline(self, rng: random.Random, county: County) -> str:
        return f"{county.area_code}-{rng.choice('78')}{rng.randrange(10**6):06d}"

    def _mobile(self, rng: random.Random) -> str:
        return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

    def _address(self, rng: random.Random, county: County, place: str) -> str:
        streets = data.STREETS if county is data.WUSHEN and place == county.seat else data.GENERIC_STREETS
        return f"内蒙古自治区{county.city}{county.name}{place}{rng.choice(streets)}{rng.randint(1, 199)}号"

    @staticmethod
    def _weighted(rng: random.Random, choices) -> str:
        values, weights = zip(*choices, strict=True)
        return rng.choices(values, weights=weights)[0]
