"""The tables behind the demo county: counties, agency templates and the catalogue of
enforcement matters (执法事项) with their legal bases.

Every legal basis names a law or regulation in force that really governs the matter. Where the
article number was not certain, only the law is cited: an invented article would be worse than
none, because these bases end up printed on decisions. Names use "{county}", "{city}",
"{county_short}" and "{city_government}" placeholders so that one template serves every county.

Pure Python on purpose (no Django): benchmarks and later issues import it without a database.
"""

from dataclasses import dataclass

# Kinds, staffing types and party kinds as stored by the registry's TextChoices. Repeated here
# as plain strings so that this module does not import Django models.
PERMIT, PENALTY, COERCION, INSPECTION, EXPROPRIATION, REQUISITION = (
    "permit",
    "penalty",
    "coercion",
    "inspection",
    "expropriation",
    "requisition",
)
ORGAN, AUTHORIZED, ENTRUSTED = "administrative_organ", "authorized_organization", "entrusted_organization"


@dataclass(frozen=True)
class LegalBasis:
    law: str
    article: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"law": self.law, "article": self.article}


@dataclass(frozen=True)
class MatterTemplate:
    kind: str
    name: str
    field: str
    bases: tuple[LegalBasis, ...]


@dataclass(frozen=True)
class County:
    code: str  # GB/T 2260
    name: str  # 乌审旗
    prefix: str  # what agency names start with: 乌审旗, 鄂尔多斯市东胜区
    city: str
    city_code: str
    city_government: str
    area_code: str  # telephone
    seat: str = ""  # town where the banner's departments sit
    towns: tuple[str, ...] = ()
    town_weights: tuple[int, ...] = ()


@dataclass(frozen=True)
class AgencyTemplate:
    key: str
    name: str
    kind: str
    fields: tuple[str, ...]
    legal_basis: str
    weight: int  # relative head count of officers
    matters: tuple[MatterTemplate, ...] = ()
    head_post: str = "局长"
    reviewer_post: str = "政策法规股股长"  # the first reviewer's; the others are 法制审核员
    posts: tuple[str, ...] = ("一级主任科员", "二级主任科员", "四级主任科员", "一级科员", "二级科员", "科员")
    # 内设机构 (Officer.department): the head's, the legal reviewers', and those the other officers
    # are spread over in turn (a post that names its own 股 or 所 keeps it).
    head_department: str = "局机关"
    reviewer_department: str = "政策法规股"
    departments: tuple[str, ...] = ("综合执法股", "监督检查股")
    entrusting: str = ""  # key of the entrusting template (受委托组织 only)
    credit_prefix: str = "11"  # 登记管理部门码 + 机构类别码: 11 机关, 12 事业单位
    credit_region: str = "county"  # or "city": the 分局 of a city bureau registers in the city
    parent: str = "{county}人民政府"
    is_judicial_bureau: bool = False
    is_main: bool = False  # the agency of the demo's agency-level accounts
    reviewers: int | None = None  # None: enough to meet the 5% ratio
    irregular: int = 0  # 工勤 and 劳务派遣 staff on the roster, who may not hold certificates
    understaffed: bool = False  # fewer than two officers who may act
    party_weight: int = 0  # how many of the parties this agency registers, relatively
    party_trades: tuple[str, ...] = ()  # the trades of the companies it deals with
    staffing: tuple[tuple[str, int], ...] = (
        ("administrative", 55),
        ("civil_service_managed", 25),
        ("public_institution", 20),
    )


INSTITUTION_STAFFING = (("public_institution", 70), ("civil_service_managed", 30))
TOWN_STAFFING = (("administrative", 60), ("public_institution", 40))
BRIGADE_POSTS = ("执法队员", "执法队员", "执法中队长", "执法中队副中队长", "专业技术人员")
BRIGADE_DEPARTMENTS = ("执法一中队", "执法二中队", "执法三中队")

# --- Laws and regulations cited below -------------------------------------------------------

PENALTY_LAW = "《中华人民共和国行政处罚法》"
COERCION_LAW = "《中华人民共和国行政强制法》"
ORGANIC_LAW = "《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》"
FOOD = "《中华人民共和国食品安全法》"
PRODUCT = "《中华人民共和国产品质量法》"
SPECIAL_EQUIPMENT = "《中华人民共和国特种设备安全法》"
DRUG = "《中华人民共和国药品管理法》"
TRADEMARK = "《中华人民共和国商标法》"
ADVERTISING = "《中华人民共和国广告法》"
PRICE = "《中华人民共和国价格法》"
MARKET_ENTITY = "《中华人民共和国市场主体登记管理条例》"
LAND = "《中华人民共和国土地管理法》"
PLANNING = "《中华人民共和国城乡规划法》"
MINERAL = "《中华人民共和国矿产资源法》"
REAL_ESTATE = "《中华人民共和国城市房地产管理法》"
HIGHWAY = "《中华人民共和国公路法》"
ROAD_TRANSPORT = "《中华人民共和国道路运输条例》"
HIGHWAY_SAFETY = "《公路安全保护条例》"
SEED = "《中华人民共和国种子法》"
PESTICIDE = "《农药管理条例》"
VETERINARY_DRUG = "《兽药管理条例》"
ANIMAL_EPIDEMIC = "《中华人民共和国动物防疫法》"
AGRICULTURAL_PRODUCE = "《中华人民共和国农产品质量安全法》"
ANIMAL_HUSBANDRY = "《中华人民共和国畜牧法》"
GRASSLAND = "《中华人民共和国草原法》"
IM_GRASSLAND = "《内蒙古自治区草原管理条例》"
FOREST = "《中华人民共和国森林法》"
WATER = "《中华人民共和国水法》"
SOIL = "《中华人民共和国水土保持法》"
RIVER = "《中华人民共和国河道管理条例》"
WORK_SAFETY = "《中华人民共和国安全生产法》"
HAZARDOUS_CHEMICALS = "《危险化学品安全管理条例》"
EMERGENCY_RESPONSE = "《中华人民共和国突发事件应对法》"
HEALTH_PROMOTION = "《中华人民共和国基本医疗卫生与健康促进法》"
PHYSICIANS = "《中华人民共和国医师法》"
MEDICAL_INSTITUTIONS = "《医疗机构管理条例》"
PUBLIC_PLACES = "《公共场所卫生管理条例》"
OCCUPATIONAL_DISEASE = "《中华人民共和国职业病防治法》"
ENTERTAINMENT = "《娱乐场所管理条例》"
PERFORMANCES = "《营业性演出管理条例》"
INTERNET_CAFES = "《互联网上网服务营业场所管理条例》"
FITNESS = "《全民健身条例》"
TOURISM = "《中华人民共和国旅游法》"
PUBLISHING = "《出版管理条例》"
CONSTRUCTION = "《中华人民共和国建筑法》"
CONSTRUCTION_QUALITY = "《建设工程质量管理条例》"
GAS = "《城镇燃气管理条例》"
CITY_APPEARANCE = "《城市市容和环境卫生管理条例》"
SOLID_WASTE = "《中华人民共和国固体废物污染环境防治法》"
AIR = "《中华人民共和国大气污染防治法》"
CITY_ROADS = "《城市道路管理条例》"
EDUCATION = "《中华人民共和国教育法》"
PRIVATE_EDUCATION = "《中华人民共和国民办教育促进法》"
MEDICAL_FUND = "《医疗保障基金使用监督管理条例》"
SOCIAL_INSURANCE = "《中华人民共和国社会保险法》"
LABOUR_CONTRACT = "《中华人民共和国劳动合同法》"
CHILD_LABOUR = "《禁止使用童工规定》"
LABOUR_INSPECTION = "《劳动保障监察条例》"
MIGRANT_WAGES = "《保障农民工工资支付条例》"
SOCIAL_ORGANIZATIONS = "《社会团体登记管理条例》"
FUNERALS = "《殡葬管理条例》"
LEGAL_SERVICE_WORKERS = "《基层法律服务工作者管理办法》"
LEGAL_SERVICE_OFFICES = "《基层法律服务所管理办法》"
ENVIRONMENT = "《中华人民共和国环境保护法》"
WATER_POLLUTION = "《中华人民共和国水污染防治法》"
IMPACT_ASSESSMENT = "《中华人民共和国环境影响评价法》"
PROJECT_ENVIRONMENT = "《建设项目环境保护管理条例》"
FIRE = "《中华人民共和国消防法》"
COAL_MINES = "《煤矿安全生产条例》"
PIPELINES = "《中华人民共和国石油天然气管道保护法》"
POWER_FACILITIES = "《电力设施保护条例》"
METEOROLOGY = "《中华人民共和国气象法》"
METEOROLOGICAL_DISASTERS = "《气象灾害防御条例》"
BALLOONS = "《施放气球管理办法》"
AVIATION_CONTROL = "《通用航空飞行管制条例》"
STATISTICS = "《中华人民共和国统计法》"


def _m(kind: str, name: str, field_: str, *bases: tuple[str, str] | str) -> MatterTemplate:
    return MatterTemplate(
        kind,
        name,
        field_,
        tuple(LegalBasis(b) if isinstance(b, str) else LegalBasis(*b) for b in bases),
    )


def _seizure(law: str, article: str = "") -> tuple[tuple[str, str], tuple[str, str]]:
    """查封、扣押 need a law that grants them to this organ, and the procedure of 行政强制法."""
    return (law, article), (COERCION_LAW, "第二十二条")


def _organ_basis(*laws: str) -> str:
    return f"{ORGANIC_LAW}；{{county}}机构改革方案及本部门职能配置、内设机构和人员编制规定；{''.join(laws)}等法律法规"


def _entrusted_basis(entruster: str) -> str:
    return f"{PENALTY_LAW}第二十条；{entruster}行政执法委托书（以委托机关名义实施行政处罚）"


# --- The catalogue, by agency ------------------------------------------------------------------

JUDICIAL_MATTERS = (
    _m(PENALTY, "对基层法律服务工作者违法执业行为的行政处罚", "司法行政", LEGAL_SERVICE_WORKERS),
    _m(INSPECTION, "对基层法律服务所执业活动的监督检查", "司法行政", LEGAL_SERVICE_OFFICES),
)

FOOD_FIELD, MARKET_FIELD, EQUIPMENT_FIELD, IP_FIELD = "食品药品", "市场监管", "特种设备", "知识产权"
MARKET_MATTERS = (
    _m(
        PENALTY,
        "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十二条"),
    ),
    _m(
        PENALTY,
        "对用非食品原料生产食品、在食品中添加食品添加剂以外的化学物质和其他可能危害人体健康的物质的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十三条"),
    ),
    _m(
        PENALTY,
        "对经营病死、毒死或者死因不明的禽、畜、兽、水产动物肉类及其制品的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十三条"),
    ),
    _m(PENALTY, "对生产经营超过保质期的食品、食品添加剂的行政处罚", FOOD_FIELD, (FOOD, "第一百二十四条")),
    _m(
        PENALTY,
        "对生产经营腐败变质、油脂酸败、霉变生虫、污秽不洁、混有异物、掺假掺杂或者感官性状异常的食品的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十四条"),
    ),
    _m(
        PENALTY,
        "对食品经营者进货时未查验许可证和相关证明文件、未按规定建立并遵守进货查验记录制度的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十六条"),
    ),
    _m(
        PENALTY,
        "对食品生产经营者安排未取得健康证明的人员从事接触直接入口食品工作的行政处罚",
        FOOD_FIELD,
        (FOOD, "第一百二十六条"),
    ),
    _m(
        PENALTY,
        "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚",
        MARKET_FIELD,
        (PRODUCT, "第四十九条"),
    ),
    _m(
        PENALTY,
        "对在产品中掺杂、掺假，以假充真、以次充好，或者以不合格产品冒充合格产品的行政处罚",
        MARKET_FIELD,
        (PRODUCT, "第五十条"),
    ),
    _m(PENALTY, "对销售失效、变质的产品的行政处罚", MARKET_FIELD, (PRODUCT, "第五十二条")),
    _m(PENALTY, "对未经设立登记从事经营活动的行政处罚", MARKET_FIELD, (MARKET_ENTITY, "第四十三条")),
    _m(PENALTY, "对侵犯注册商标专用权行为的行政处罚", IP_FIELD, (TRADEMARK, "第六十条")),
    _m(PENALTY, "对发布虚假广告的行政处罚", MARKET_FIELD, (ADVERTISING, "第五十五条")),
    _m(PENALTY, "对经营者不执行政府指导价、政府定价的行政处罚", MARKET_FIELD, (PRICE, "第三十九条")),
    _m(PENALTY, "对未取得药品经营许可证销售药品的行政处罚", FOOD_FIELD, (DRUG, "第一百一十五条")),
    _m(PENALTY, "对销售假药的行政处罚", FOOD_FIELD, (DRUG, "第一百一十六条")),
    _m(PENALTY, "对销售劣药的行政处罚", FOOD_FIELD, (DRUG, "第一百一十七条")),
    _m(
        PENALTY,
        "对特种设备使用单位使用未取得许可生产、未经检验或者检验不合格的特种设备的行政处罚",
        EQUIPMENT_FIELD,
        (SPECIAL_EQUIPMENT, "第八十四条"),
    ),
    _m(
        PENALTY,
        "对特种设备使用单位未按照规定办理使用登记的行政处罚",
        EQUIPMENT_FIELD,
        (SPECIAL_EQUIPMENT, "第八十三条"),
    ),
    _m(PERMIT, "食品经营许可", FOOD_FIELD, (FOOD, "第三十五条")),
    _m(PERMIT, "药品零售企业药品经营许可", FOOD_FIELD, (DRUG, "第五十一条")),
    _m(
        COERCION,
        "对有证据证明不符合食品安全标准的食品、违法使用的食品原料及用于违法生产经营的工具、设备的查封、扣押",
        FOOD_FIELD,
        *_seizure(FOOD, "第一百一十条"),
    ),
    _m(
        COERCION,
        "对不符合安全技术规范要求或者存在严重事故隐患的特种设备的查封、扣押",
        EQUIPMENT_FIELD,
        *_seizure(SPECIAL_EQUIPMENT, "第六十一条"),
    ),
    _m(
        COERCION,
        "对有根据认为不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的查封、扣押",
        MARKET_FIELD,
        *_seizure(PRODUCT, "第十八条"),
    ),
    _m(INSPECTION, "食品生产经营监督检查", FOOD_FIELD, (FOOD, "第一百一十条")),
    _m(INSPECTION, "特种设备安全监督检查", EQUIPMENT_FIELD, (SPECIAL_EQUIPMENT, "第五十七条")),
    _m(INSPECTION, "产品质量监督抽查", MARKET_FIELD, (PRODUCT, "第十五条")),
)

NATURAL_RESOURCES = "自然资源"
NATURAL_RESOURCE_MATTERS = (
    _m(
        PENALTY,
        "对未经批准或者采取欺骗手段骗取批准，非法占用土地的行政处罚",
        NATURAL_RESOURCES,
        (LAND, "第七十七条"),
    ),
    _m(PENALTY, "对买卖或者以其他形式非法转让土地的行政处罚", NATURAL_RESOURCES, (LAND, "第七十四条")),
    _m(
        PENALTY,
        "对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土等破坏种植条件的行政处罚",
        NATURAL_RESOURCES,
        (LAND, "第七十五条"),
    ),
    _m(PENALTY, "对拒不履行土地复垦义务的行政处罚", NATURAL_RESOURCES, (LAND, "第七十六条")),
    _m(PENALTY, "对未取得采矿许可证擅自采矿的行政处罚", NATURAL_RESOURCES, MINERAL),
    _m(PERMIT, "建设用地规划许可", NATURAL_RESOURCES, (PLANNING, "第三十七条、第三十八条")),
    _m(PERMIT, "建设工程规划许可", NATURAL_RESOURCES, (PLANNING, "第四十条")),
    _m(PERMIT, "乡村建设规划许可", NATURAL_RESOURCES, (PLANNING, "第四十一条")),
    _m(PERMIT, "临时用地审批", NATURAL_RESOURCES, (LAND, "第五十七条")),
    _m(EXPROPRIATION, "土地闲置费征收", NATURAL_RESOURCES, (REAL_ESTATE, "第二十六条")),
    _m(EXPROPRIATION, "耕地开垦费征收", NATURAL_RESOURCES, (LAND, "第三十条")),
    _m(INSPECTION, "土地管理监督检查", NATURAL_RESOURCES, (LAND, "第六十七条")),
)

TRANSPORT = "交通运输"
TRANSPORT_MATTERS = (
    _m(PERMIT, "道路旅客运输经营许可", TRANSPORT, ROAD_TRANSPORT),
    _m(PERMIT, "超限运输车辆行驶公路许可", TRANSPORT, (HIGHWAY, "第五十条")),
    _m(PERMIT, "占用、挖掘公路或者使公路改线审批", TRANSPORT, (HIGHWAY, "第四十四条")),
    _m(
        PERMIT, "跨越、穿越公路修建桥梁、渡槽或者架设、埋设管道等设施审批", TRANSPORT, (HIGHWAY, "第四十五条")
    ),
    # 行政强制措施权不得委托（行政强制法第十七条）: the bureau keeps it, not its brigade.
    _m(
        COERCION,
        "对没有车辆营运证又无法当场提供其他有效证明的营运车辆的暂扣",
        TRANSPORT,
        ROAD_TRANSPORT,
        (COERCION_LAW, "第十七条、第二十二条"),
    ),
    _m(INSPECTION, "公路、道路运输监督检查", TRANSPORT, (HIGHWAY, "第六十九条"), ROAD_TRANSPORT),
)
TRANSPORT_BRIGADE_MATTERS = (
    _m(PENALTY, "对未取得道路运输经营许可擅自从事道路运输经营的行政处罚", TRANSPORT, ROAD_TRANSPORT),
    _m(
        PENALTY,
        "对车货总体外廓尺寸、总质量、轴荷载超过限定标准的车辆在公路上行驶的行政处罚",
        TRANSPORT,
        (HIGHWAY_SAFETY, "第六十四条"),
        (HIGHWAY, "第七十六条"),
    ),
    _m(PENALTY, "对擅自占用、挖掘公路的行政处罚", TRANSPORT, (HIGHWAY, "第七十六条")),
    _m(PENALTY, "对在公路建筑控制区内修建建筑物、地面构筑物的行政处罚", TRANSPORT, (HIGHWAY, "第八十一条")),
    _m(PENALTY, "对损坏、擅自移动、涂改公路附属设施的行政处罚", TRANSPORT, (HIGHWAY, "第七十六条")),
)

AGRICULTURE = "农牧业"
AGRICULTURE_MATTERS = (
    _m(PERMIT, "农药经营许可", AGRICULTURE, PESTICIDE),
    _m(PERMIT, "兽药经营许可", AGRICULTURE, VETERINARY_DRUG),
    _m(PERMIT, "动物防疫条件合格证核发", AGRICULTURE, ANIMAL_EPIDEMIC),
    _m(PERMIT, "种畜禽生产经营许可", AGRICULTURE, ANIMAL_HUSBANDRY),
    _m(
        COERCION,
        "对有证据证明不符合农产品质量安全标准的农产品的查封、扣押",
        AGRICULTURE,
        *_seizure(AGRICULTURAL_PRODUCE),
    ),
    _m(
        COERCION,
        "对染疫或者疑似染疫的动物和动物产品的查封、扣押",
        AGRICULTURE,
        *_seizure(ANIMAL_EPIDEMIC),
    ),
    _m(INSPECTION, "农产品质量安全监督检查", AGRICULTURE, AGRICULTURAL_PRODUCE),
)
AGRICULTURE_BRIGADE_MATTERS = (
    _m(PENALTY, "对生产经营假种子的行政处罚", AGRICULTURE, SEED),
    _m(PENALTY, "对生产经营劣种子的行政处罚", AGRICULTURE, SEED),
    _m(PENALTY, "对经营假农药、劣质农药的行政处罚", AGRICULTURE, PESTICIDE),
    _m(PENALTY, "对未取得农药经营许可证经营农药的行政处罚", AGRICULTURE, PESTICIDE),
    _m(PENALTY, "对经营假兽药、劣兽药的行政处罚", AGRICULTURE, VETERINARY_DRUG),
    _m(PENALTY, "对饲养的动物未按照规定实施强制免疫接种的行政处罚", AGRICULTURE, ANIMAL_EPIDEMIC),
    _m(
        PENALTY,
        "对屠宰、经营、运输依法应当检疫而未经检疫的动物和动物产品的行政处罚",
        AGRICULTURE,
        ANIMAL_EPIDEMIC,
    ),
    _m(
        PENALTY,
        "对农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的行政处罚",
        AGRICULTURE,
        (LAND, "第七十八条"),
    ),
)

FORESTRY = "林业草原"
FORESTRY_MATTERS = (
    _m(
        PENALTY,
        "对未经批准或者采取欺骗手段骗取批准，非法使用草原的行政处罚",
        FORESTRY,
        (GRASSLAND, "第六十五条"),
    ),
    _m(PENALTY, "对非法开垦草原的行政处罚", FORESTRY, (GRASSLAND, "第六十六条")),
    _m(
        PENALTY,
        "对在荒漠、半荒漠和严重退化、沙化的草原以及生态脆弱区的草原上采挖植物或者从事破坏草原植被活动的行政处罚",
        FORESTRY,
        (GRASSLAND, "第六十七条"),
    ),
    _m(
        PENALTY,
        "对未经批准或者未按照规定的时间、区域和采挖方式在草原上进行采土、采砂、采石等活动的行政处罚",
        FORESTRY,
        (GRASSLAND, "第六十八条"),
    ),
    _m(PENALTY, "对违反禁牧、休牧规定放牧的行政处罚", FORESTRY, IM_GRASSLAND),
    _m(PENALTY, "对盗伐林木的行政处罚", FORESTRY, (FOREST, "第七十六条")),
    _m(PENALTY, "对滥伐林木的行政处罚", FORESTRY, (FOREST, "第七十六条")),
    _m(PENALTY, "对未经审核同意擅自改变林地用途的行政处罚", FORESTRY, (FOREST, "第七十三条")),
    _m(
        PENALTY,
        "对进行开垦、采石、采砂、采土或者其他活动造成林木毁坏的行政处罚",
        FORESTRY,
        (FOREST, "第七十四条"),
    ),
    _m(PERMIT, "林木采伐许可", FORESTRY, (FOREST, "第五十六条")),
    _m(PERMIT, "建设项目使用林地审核", FORESTRY, (FOREST, "第三十七条")),
    _m(PERMIT, "临时占用草原审核", FORESTRY, (GRASSLAND, "第四十条")),
    _m(EXPROPRIATION, "森林植被恢复费征收", FORESTRY, (FOREST, "第三十七条")),
    _m(EXPROPRIATION, "草原植被恢复费征收", FORESTRY, (GRASSLAND, "第三十九条")),
    _m(
        COERCION,
        "对有证据证明来源非法的林木以及从事破坏森林资源活动的工具、设备或者财物的查封、扣押",
        FORESTRY,
        *_seizure(FOREST, "第六十七条"),
    ),
    _m(INSPECTION, "草原监督检查", FORESTRY, GRASSLAND),
)

WATER_FIELD = "水利"
WATER_MATTERS = (
    _m(
        PENALTY,
        "对未经批准擅自取水或者未依照批准的取水许可规定条件取水的行政处罚",
        WATER_FIELD,
        (WATER, "第六十九条"),
    ),
    _m(
        PENALTY,
        "对在河道管理范围内建设妨碍行洪的建筑物、构筑物或者从事影响河势稳定活动的行政处罚",
        WATER_FIELD,
        (WATER, "第六十五条"),
    ),
    _m(
        PENALTY,
        "对依法应当编制水土保持方案的生产建设项目未编制或者水土保持方案未经批准而开工建设的行政处罚",
        WATER_FIELD,
        (SOIL, "第五十三条"),
    ),
    _m(
        PENALTY,
        "对在水土保持方案确定的专门存放地以外的区域倾倒砂、石、土、矸石、尾矿、废渣等的行政处罚",
        WATER_FIELD,
        (SOIL, "第五十五条"),
    ),
    _m(PENALTY, "对拒不缴纳水土保持补偿费的行政处罚", WATER_FIELD, (SOIL, "第五十七条")),
    _m(PERMIT, "取水许可", WATER_FIELD, (WATER, "第四十八条")),
    _m(PERMIT, "生产建设项目水土保持方案审批", WATER_FIELD, (SOIL, "第二十五条")),
    _m(PERMIT, "河道管理范围内建设项目工程建设方案审批", WATER_FIELD, (RIVER, "第十一条")),
    _m(EXPROPRIATION, "水土保持补偿费征收", WATER_FIELD, (SOIL, "第三十二条")),
)

SAFETY = "应急管理"
EMERGENCY_MATTERS = (
    _m(
        PENALTY,
        "对生产经营单位未按照规定对从业人员进行安全生产教育和培训的行政处罚",
        SAFETY,
        (WORK_SAFETY, "第九十七条"),
    ),
    _m(
        PENALTY,
        "对特种作业人员未按照规定经专门的安全作业培训并取得相应资格上岗作业的行政处罚",
        SAFETY,
        (WORK_SAFETY, "第九十七条"),
    ),
    _m(
        PENALTY,
        "对未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志的行政处罚",
        SAFETY,
        (WORK_SAFETY, "第九十九条"),
    ),
    _m(PENALTY, "对生产经营单位未采取措施消除事故隐患的行政处罚", SAFETY, (WORK_SAFETY, "第一百零二条")),
    _m(
        PENALTY, "对发生生产安全事故负有责任的生产经营单位的行政处罚", SAFETY, (WORK_SAFETY, "第一百一十四条")
    ),
    _m(
        PENALTY,
        "对未取得危险化学品经营许可证从事危险化学品经营的行政处罚",
        SAFETY,
        (HAZARDOUS_CHEMICALS, "第七十七条"),
    ),
    _m(PERMIT, "危险化学品经营许可（不带储存设施）", SAFETY, (HAZARDOUS_CHEMICALS, "第三十三条")),
    _m(
        COERCION,
        "对不符合保障安全生产的国家标准或者行业标准的设施、设备、器材以及违法生产、储存、使用、经营的危险物品的查封、扣押",
        SAFETY,
        *_seizure(WORK_SAFETY),
    ),
    _m(INSPECTION, "安全生产监督检查", SAFETY, WORK_SAFETY),
    _m(REQUISITION, "突发事件应急处置中对设备、设施、场地、交通工具等财产的征用", SAFETY, EMERGENCY_RESPONSE),
)

HEALTH = "卫生健康"
HEALTH_MATTERS = (
    _m(
        PENALTY,
        "对未取得医疗机构执业许可证擅自执业的行政处罚",
        HEALTH,
        (HEALTH_PROMOTION, "第九十九条"),
    ),
    _m(PENALTY, "对非医师行医的行政处罚", HEALTH, (PHYSICIANS, "第五十九条")),
    _m(PENALTY, "对医疗机构使用非卫生技术人员从事医疗卫生技术工作的行政处罚", HEALTH, MEDICAL_INSTITUTIONS),
    _m(PENALTY, "对公共场所经营者未取得卫生许可证擅自营业的行政处罚", HEALTH, PUBLIC_PLACES),
    _m(PENALTY, "对用人单位未按照规定组织劳动者进行职业健康检查的行政处罚", HEALTH, OCCUPATIONAL_DISEASE),
    _m(PERMIT, "医疗机构执业登记", HEALTH, MEDICAL_INSTITUTIONS),
    _m(PERMIT, "公共场所卫生许可", HEALTH, PUBLIC_PLACES),
    _m(INSPECTION, "医疗机构依法执业监督检查", HEALTH, HEALTH_PROMOTION),
)

CULTURE = "文化旅游"
CULTURE_MATTERS = (
    _m(PERMIT, "娱乐场所经营许可", CULTURE, ENTERTAINMENT),
    _m(PERMIT, "营业性演出许可", CULTURE, PERFORMANCES),
    _m(PERMIT, "互联网上网服务营业场所经营单位设立审批", CULTURE, INTERNET_CAFES),
    _m(PERMIT, "高危险性体育项目经营许可", "体育", FITNESS),
    _m(INSPECTION, "文化市场经营场所监督检查", CULTURE, ENTERTAINMENT, INTERNET_CAFES),
)
CULTURE_BRIGADE_MATTERS = (
    _m(PENALTY, "对擅自从事互联网上网服务经营活动的行政处罚", CULTURE, INTERNET_CAFES),
    _m(PENALTY, "对互联网上网服务营业场所接纳未成年人进入营业场所的行政处罚", CULTURE, INTERNET_CAFES),
    _m(PENALTY, "对未经许可擅自从事娱乐场所经营活动的行政处罚", CULTURE, ENTERTAINMENT),
    _m(PENALTY, "对未经许可经营旅行社业务的行政处罚", CULTURE, (TOURISM, "第九十五条")),
    _m(PENALTY, "对未经批准擅自举办营业性演出的行政处罚", CULTURE, PERFORMANCES),
    _m(PENALTY, "对未经许可擅自从事出版物发行业务的行政处罚", CULTURE, PUBLISHING),
)

HOUSING = "住房城乡建设"
HOUSE_EXPROPRIATION = "《国有土地上房屋征收与补偿条例》"
# The 房屋征收部门 the county government names organizes 国有土地上房屋征收与补偿 (the demo's 征收 case).
HOUSE_EXPROPRIATION_MATTER = "国有土地上房屋征收与补偿"
HOUSING_MATTERS = (
    _m(PENALTY, "对未取得施工许可证擅自施工的行政处罚", HOUSING, (CONSTRUCTION, "第六十四条")),
    _m(PENALTY, "对超越资质等级或者未取得资质证书承揽工程的行政处罚", HOUSING, (CONSTRUCTION, "第六十五条")),
    _m(
        PENALTY,
        "对建设单位将建设工程发包给不具有相应资质等级的勘察、设计、施工单位的行政处罚",
        HOUSING,
        (CONSTRUCTION_QUALITY, "第五十四条"),
    ),
    _m(
        PENALTY,
        "对施工单位在施工中偷工减料或者不按照工程设计图纸、施工技术标准施工的行政处罚",
        HOUSING,
        (CONSTRUCTION_QUALITY, "第六十四条"),
    ),
    _m(PENALTY, "对未取得商品房预售许可证预售商品房的行政处罚", HOUSING, (REAL_ESTATE, "第六十八条")),
    _m(PERMIT, "建筑工程施工许可", HOUSING, (CONSTRUCTION, "第七条")),
    _m(PERMIT, "商品房预售许可", HOUSING, (REAL_ESTATE, "第四十五条")),
    _m(PERMIT, "燃气经营许可", HOUSING, GAS),
    _m(INSPECTION, "建设工程质量监督检查", HOUSING, (CONSTRUCTION_QUALITY, "第四十七条")),
    _m(EXPROPRIATION, HOUSE_EXPROPRIATION_MATTER, HOUSING, (HOUSE_EXPROPRIATION, "第四条")),
)

CITY = "城市管理"
CITY_MATTERS = (
    _m(
        PENALTY,
        "对未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的行政处罚",
        CITY,
        (PLANNING, "第六十四条"),
    ),
    _m(PENALTY, "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的行政处罚", CITY, (SOLID_WASTE, "第一百一十一条")),
    _m(
        PENALTY,
        "对工程施工单位擅自倾倒、抛撒或者堆放工程施工过程中产生的建筑垃圾的行政处罚",
        CITY,
        (SOLID_WASTE, "第一百一十一条"),
    ),
    _m(
        PENALTY,
        "对在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品的行政处罚",
        CITY,
        (CITY_APPEARANCE, "第三十四条"),
    ),
    _m(
        PENALTY,
        "对未经批准在街道两侧和公共场地搭建建筑物、构筑物或者其他设施的行政处罚",
        CITY,
        (CITY_APPEARANCE, "第三十六条"),
    ),
    _m(PENALTY, "对餐饮服务业经营者超过排放标准排放油烟的行政处罚", CITY, (AIR, "第一百一十八条")),
    _m(PENALTY, "对露天焚烧秸秆、落叶等产生烟尘污染的物质的行政处罚", CITY, (AIR, "第一百一十九条")),
    _m(
        PENALTY, "对施工工地未设置硬质围挡或者未采取有效防尘降尘措施的行政处罚", CITY, (AIR, "第一百一十五条")
    ),
    _m(PENALTY, "对未经批准擅自占用或者挖掘城市道路的行政处罚", CITY, (CITY_ROADS, "第四十二条")),
    _m(PERMIT, "大型户外广告设置审批", CITY, (CITY_APPEARANCE, "第十一条")),
    _m(PERMIT, "占用、挖掘城市道路审批", CITY, (CITY_ROADS, "第三十条")),
    _m(
        COERCION,
        "对逾期不拆除的违法建设采取查封施工现场、强制拆除措施",
        CITY,
        (PLANNING, "第六十八条"),
        (COERCION_LAW, "第四十四条"),
    ),
    _m(INSPECTION, "市容环境卫生监督检查", CITY, CITY_APPEARANCE),
)

EDUCATION_FIELD = "教育"
EDUCATION_MATTERS = (
    _m(PENALTY, "对违反国家有关规定举办学校或者其他教育机构的行政处罚", EDUCATION_FIELD, EDUCATION),
    _m(PENALTY, "对民办学校违法办学行为的行政处罚", EDUCATION_FIELD, PRIVATE_EDUCATION),
    _m(PERMIT, "民办学校办学许可", EDUCATION_FIELD, PRIVATE_EDUCATION),
)

MEDICAL_SECURITY = "医疗保障"
MEDICAL_SECURITY_MATTERS = (
    _m(
        PENALTY,
        "对定点医药机构分解住院、挂床住院、过度诊疗等违法使用医疗保障基金的行政处罚",
        MEDICAL_SECURITY,
        (MEDICAL_FUND, "第三十八条"),
    ),
    _m(
        PENALTY,
        "对定点医药机构以欺诈、伪造证明材料等手段骗取医疗保障基金支出的行政处罚",
        MEDICAL_SECURITY,
        (MEDICAL_FUND, "第四十条"),
        (SOCIAL_INSURANCE, "第八十七条"),
    ),
    _m(
        PENALTY,
        "对个人以欺诈、伪造证明材料等手段骗取医疗保障待遇的行政处罚",
        MEDICAL_SECURITY,
        (MEDICAL_FUND, "第四十一条"),
        (SOCIAL_INSURANCE, "第八十八条"),
    ),
    _m(INSPECTION, "医疗保障基金使用监督检查", MEDICAL_SECURITY, MEDICAL_FUND),
)

LABOUR = "人力资源社会保障"
LABOUR_MATTERS = (
    _m(PENALTY, "对用人单位不办理社会保险登记的行政处罚", LABOUR, (SOCIAL_INSURANCE, "第八十四条")),
    _m(PENALTY, "对用人单位逾期仍不缴纳社会保险费的行政处罚", LABOUR, (SOCIAL_INSURANCE, "第八十六条")),
    _m(
        PENALTY,
        "对用人单位逾期不支付劳动者劳动报酬、加班费或者经济补偿的行政处理",
        LABOUR,
        (LABOUR_CONTRACT, "第八十五条"),
    ),
    _m(PENALTY, "对用人单位使用童工的行政处罚", LABOUR, (CHILD_LABOUR, "第六条")),
    _m(
        PENALTY,
        "对施工总承包单位未按规定开设或者使用农民工工资专用账户的行政处罚",
        LABOUR,
        MIGRANT_WAGES,
    ),
    _m(INSPECTION, "劳动保障监察", LABOUR, LABOUR_INSPECTION),
)

CIVIL_AFFAIRS = "民政"
CIVIL_AFFAIRS_MATTERS = (
    _m(PENALTY, "对社会团体违反登记管理规定的行政处罚", CIVIL_AFFAIRS, SOCIAL_ORGANIZATIONS),
    _m(
        PENALTY,
        "对在公墓和农村公益性墓地以外的其他地方埋葬遗体、建造坟墓的行政处罚",
        CIVIL_AFFAIRS,
        FUNERALS,
    ),
    _m(PERMIT, "社会团体成立、变更、注销登记", CIVIL_AFFAIRS, SOCIAL_ORGANIZATIONS),
)

ECOLOGY = "生态环境"
ECOLOGY_MATTERS = (
    _m(PENALTY, "对未依法取得排污许可证排放大气污染物的行政处罚", ECOLOGY, (AIR, "第九十九条")),
    _m(PENALTY, "对超过大气污染物排放标准排放大气污染物的行政处罚", ECOLOGY, (AIR, "第九十九条")),
    _m(PENALTY, "对未依法取得排污许可证排放水污染物的行政处罚", ECOLOGY, (WATER_POLLUTION, "第八十三条")),
    _m(
        PENALTY,
        "对利用渗井、渗坑、裂隙、溶洞，私设暗管等逃避监管的方式排放水污染物的行政处罚",
        ECOLOGY,
        (WATER_POLLUTION, "第八十三条"),
    ),
    _m(
        PENALTY,
        "对建设单位未依法报批建设项目环境影响评价文件擅自开工建设的行政处罚",
        ECOLOGY,
        (IMPACT_ASSESSMENT, "第三十一条"),
    ),
    _m(
        PENALTY,
        "对需要配套建设的环境保护设施未建成、未经验收或者验收不合格，建设项目即投入生产或者使用的行政处罚",
        ECOLOGY,
        (PROJECT_ENVIRONMENT, "第二十三条"),
    ),
    _m(
        PENALTY,
        "对未按照规定设置危险废物识别标志或者未按照国家有关规定制定危险废物管理计划的行政处罚",
        ECOLOGY,
        (SOLID_WASTE, "第一百一十二条"),
    ),
    _m(
        PENALTY,
        "对违法排放污染物受到罚款处罚，被责令改正拒不改正的按日连续处罚",
        ECOLOGY,
        (ENVIRONMENT, "第五十九条"),
    ),
    _m(
        COERCION,
        "对违法排放污染物造成或者可能造成严重污染的设施、设备的查封、扣押",
        ECOLOGY,
        *_seizure(ENVIRONMENT, "第二十五条"),
    ),
    _m(INSPECTION, "生态环境现场检查", ECOLOGY, (ENVIRONMENT, "第二十四条")),
)

FIRE_FIELD = "消防"
FIRE_MATTERS = (
    _m(
        PENALTY,
        "对消防设施、器材或者消防安全标志的配置、设置不符合国家标准、行业标准或者未保持完好有效的行政处罚",
        FIRE_FIELD,
        (FIRE, "第六十条"),
    ),
    _m(PENALTY, "对损坏、挪用或者擅自拆除、停用消防设施、器材的行政处罚", FIRE_FIELD, (FIRE, "第六十条")),
    _m(PENALTY, "对占用、堵塞、封闭疏散通道、安全出口的行政处罚", FIRE_FIELD, (FIRE, "第六十条")),
    _m(
        PENALTY,
        "对公众聚集场所未经消防救援机构许可擅自投入使用、营业的行政处罚",
        FIRE_FIELD,
        (FIRE, "第五十八条"),
    ),
    _m(PERMIT, "公众聚集场所投入使用、营业前消防安全检查", FIRE_FIELD, (FIRE, "第十五条")),
    _m(COERCION, "对火灾隐患危险部位或者场所的临时查封", FIRE_FIELD, (FIRE, "第五十四条")),
    _m(INSPECTION, "消防监督检查", FIRE_FIELD, (FIRE, "第五十三条")),
)

ENERGY = "能源"
ENERGY_MATTERS = (
    _m(PENALTY, "对煤矿企业违反安全生产规定的行政处罚", ENERGY, COAL_MINES),
    _m(PENALTY, "对危害石油天然气管道安全行为的行政处罚", ENERGY, PIPELINES),
    _m(PENALTY, "对危害电力设施行为的行政处罚", ENERGY, POWER_FACILITIES),
    _m(INSPECTION, "石油天然气管道保护监督检查", ENERGY, PIPELINES),
)

METEOROLOGY_FIELD = "气象"
METEOROLOGY_MATTERS = (
    _m(PENALTY, "对安装不符合使用要求的雷电防护装置的行政处罚", METEOROLOGY_FIELD, METEOROLOGY),
    _m(PENALTY, "对未经批准升放无人驾驶自由气球或者系留气球的行政处罚", METEOROLOGY_FIELD, BALLOONS),
    _m(PERMIT, "雷电防护装置设计审核和竣工验收", METEOROLOGY_FIELD, METEOROLOGICAL_DISASTERS),
    _m(PERMIT, "升放无人驾驶自由气球或者系留气球活动审批", METEOROLOGY_FIELD, AVIATION_CONTROL),
)

STATISTICS_FIELD = "统计"
STATISTICS_MATTERS = (
    _m(
        PENALTY,
        "对统计调查对象拒绝提供统计资料或者提供不真实、不完整统计资料的行政处罚",
        STATISTICS_FIELD,
        STATISTICS,
    ),
    _m(INSPECTION, "统计执法检查", STATISTICS_FIELD, STATISTICS),
)

# Powers handed down to 苏木镇 (行政处罚法第二十四条). 乡村违法建设 is the towns' own power under
# 城乡规划法第六十五条.
TOWN_FIELD = "综合行政执法"
TOWN_MATTERS = (
    _m(
        PENALTY,
        "对随意倾倒、抛撒、堆放或者焚烧生活垃圾的行政处罚",
        TOWN_FIELD,
        (SOLID_WASTE, "第一百一十一条"),
    ),
    _m(PENALTY, "对露天焚烧秸秆、落叶等产生烟尘污染的物质的行政处罚", TOWN_FIELD, (AIR, "第一百一十九条")),
    _m(
        PENALTY,
        "对农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅的行政处罚",
        TOWN_FIELD,
        (LAND, "第七十八条"),
    ),
    _m(
        COERCION,
        "对在乡、村庄规划区内未依法取得乡村建设规划许可证进行建设，逾期不改正的拆除",
        TOWN_FIELD,
        (PLANNING, "第六十五条"),
        (COERCION_LAW, "第四十四条"),
    ),
)

# --- Agencies of a banner, in creation order (an entrusting organ before its brigade) -------

COMPANY_TRADES_MARKET = ("餐饮管理", "商贸", "食品", "超市", "药业", "酒店管理")
AGENCY_TEMPLATES: tuple[AgencyTemplate, ...] = (
    AgencyTemplate(
        "judicial",
        "{county}司法局",
        ORGAN,
        ("司法行政",),
        _organ_basis(LEGAL_SERVICE_WORKERS, LEGAL_SERVICE_OFFICES),
        8,
        JUDICIAL_MATTERS,
        posts=("行政执法协调监督股股长", "行政执法监督员", "一级主任科员", "四级主任科员", "一级科员"),
        departments=("行政执法协调监督股", "法治督察股"),
        is_judicial_bureau=True,
    ),
    AgencyTemplate(
        "market",
        "{county}市场监督管理局",
        ORGAN,
        (MARKET_FIELD, FOOD_FIELD, EQUIPMENT_FIELD, IP_FIELD),
        _organ_basis(FOOD, PRODUCT, SPECIAL_EQUIPMENT, DRUG),
        48,
        MARKET_MATTERS,
        posts=(
            "市场监督管理所执法人员",
            "食品安全监管股科员",
            "特种设备安全监察员",
            "一级主任科员",
            "四级主任科员",
            "一级科员",
            "二级科员",
        ),
        departments=("综合执法股", "食品安全监管股", "特种设备安全监察股"),
        is_main=True,
        irregular=1,
        party_weight=10,
        party_trades=COMPANY_TRADES_MARKET,
    ),
    AgencyTemplate(
        "natural_resources",
        "{county}自然资源局",
        ORGAN,
        (NATURAL_RESOURCES,),
        _organ_basis(LAND, PLANNING, MINERAL),
        18,
        NATURAL_RESOURCE_MATTERS,
        party_weight=4,
        party_trades=("房地产开发", "矿业", "建材"),
    ),
    AgencyTemplate(
        "transport",
        "{county}交通运输局",
        ORGAN,
        (TRANSPORT,),
        _organ_basis(HIGHWAY, ROAD_TRANSPORT),
        6,
        TRANSPORT_MATTERS,
    ),
    AgencyTemplate(
        "transport_brigade",
        "{county}交通运输综合行政执法大队",
        ENTRUSTED,
        (TRANSPORT,),
        _entrusted_basis("{county}交通运输局"),
        22,
        TRANSPORT_BRIGADE_MATTERS,
        head_post="大队长",
        reviewer_post="法制审核员",
        posts=BRIGADE_POSTS,
        head_department="大队部",
        reviewer_department="法制审核室",
        departments=BRIGADE_DEPARTMENTS,
        entrusting="transport",
        credit_prefix="12",
        irregular=2,
        party_weight=3,
        party_trades=("物流", "运输", "煤炭运销"),
        staffing=INSTITUTION_STAFFING,
    ),
    AgencyTemplate(
        "agriculture",
        "{county}农牧局",
        ORGAN,
        (AGRICULTURE,),
        _organ_basis(SEED, ANIMAL_EPIDEMIC, ANIMAL_HUSBANDRY, AGRICULTURAL_PRODUCE),
        8,
        AGRICULTURE_MATTERS,
    ),
    AgencyTemplate(
        "agriculture_brigade",
        "{county}农牧业综合行政执法大队",
        ENTRUSTED,
        (AGRICULTURE,),
        _entrusted_basis("{county}农牧局"),
        20,
        AGRICULTURE_BRIGADE_MATTERS,
        head_post="大队长",
        reviewer_post="法制审核员",
        posts=BRIGADE_POSTS,
        head_department="大队部",
        reviewer_department="法制审核室",
        departments=BRIGADE_DEPARTMENTS,
        entrusting="agriculture",
        credit_prefix="12",
        party_weight=2,
        party_trades=("农资", "种业", "牧业"),
        staffing=INSTITUTION_STAFFING,
    ),
    AgencyTemplate(
        "forestry",
        "{county}林业和草原局",
        ORGAN,
        (FORESTRY,),
        _organ_basis(FOREST, GRASSLAND),
        20,
        FORESTRY_MATTERS,
        irregular=1,
        party_weight=3,
        party_trades=("生态建设", "林业", "牧业"),
    ),
    AgencyTemplate(
        "water",
        "{county}水利局",
        ORGAN,
        (WATER_FIELD,),
        _organ_basis(WATER, SOIL),
        9,
        WATER_MATTERS,
        party_weight=1,
        party_trades=("水务", "砂石"),
    ),
    AgencyTemplate(
        "emergency",
        "{county}应急管理局",
        ORGAN,
        (SAFETY,),
        _organ_basis(WORK_SAFETY, HAZARDOUS_CHEMICALS),
        14,
        EMERGENCY_MATTERS,
        party_weight=3,
        party_trades=("化工", "燃气", "能源"),
    ),
    AgencyTemplate(
        "health",
        "{county}卫生健康委员会",
        ORGAN,
        (HEALTH,),
        _organ_basis(HEALTH_PROMOTION, PHYSICIANS, MEDICAL_INSTITUTIONS),
        12,
        HEALTH_MATTERS,
        head_post="主任",
        head_department="委机关",
        departments=("综合监督股", "卫生健康综合监督执法队"),
        party_weight=2,
        party_trades=("医疗管理", "健康管理", "医疗服务"),
    ),
    AgencyTemplate(
        "culture",
        "{county}文化旅游体育局",
        ORGAN,
        (CULTURE, "体育"),
        _organ_basis(ENTERTAINMENT, PERFORMANCES, TOURISM, FITNESS),
        5,
        CULTURE_MATTERS,
        reviewers=0,
    ),
    AgencyTemplate(
        "culture_brigade",
        "{county}文化市场综合行政执法大队",
        ENTRUSTED,
        (CULTURE,),
        _entrusted_basis("{county}文化旅游体育局"),
        8,
        CULTURE_BRIGADE_MATTERS,
        head_post="大队长",
        reviewer_post="法制审核员",
        posts=BRIGADE_POSTS,
        head_department="大队部",
        reviewer_department="法制审核室",
        departments=BRIGADE_DEPARTMENTS,
        entrusting="culture",
        credit_prefix="12",
        party_weight=1,
        party_trades=("文化传媒", "网络科技"),
        staffing=INSTITUTION_STAFFING,
    ),
    AgencyTemplate(
        "housing",
        "{county}住房和城乡建设局",
        ORGAN,
        (HOUSING,),
        _organ_basis(CONSTRUCTION, CONSTRUCTION_QUALITY, REAL_ESTATE),
        12,
        HOUSING_MATTERS,
        party_weight=2,
        party_trades=("建筑工程", "房地产开发"),
    ),
    AgencyTemplate(
        "city",
        "{county}城市管理综合行政执法局",
        ORGAN,
        (CITY,),
        f"{PENALTY_LAW}第十八条（相对集中行政处罚权）；"
        + _organ_basis(CITY_APPEARANCE, PLANNING, SOLID_WASTE),
        40,
        CITY_MATTERS,
        posts=("执法中队长", "执法队员", "执法队员", "一级主任科员", "四级主任科员", "一级科员"),
        departments=("执法一中队", "执法二中队", "执法三中队", "执法四中队"),
        reviewers=1,
        irregular=3,
        party_weight=5,
        party_trades=("建筑工程", "餐饮管理", "广告传媒"),
    ),
    AgencyTemplate(
        "education",
        "{county}教育局",
        ORGAN,
        (EDUCATION_FIELD,),
        _organ_basis(EDUCATION, PRIVATE_EDUCATION),
        4,
        EDUCATION_MATTERS,
    ),
    AgencyTemplate(
        "medical_security",
        "{county}医疗保障局",
        ORGAN,
        (MEDICAL_SECURITY,),
        _organ_basis(SOCIAL_INSURANCE, MEDICAL_FUND),
        5,
        MEDICAL_SECURITY_MATTERS,
        party_weight=1,
        party_trades=("医药连锁", "医院管理"),
    ),
    AgencyTemplate(
        "labour",
        "{county}人力资源和社会保障局",
        ORGAN,
        (LABOUR,),
        _organ_basis(LABOUR_CONTRACT, SOCIAL_INSURANCE, LABOUR_INSPECTION),
        7,
        LABOUR_MATTERS,
        party_weight=1,
        party_trades=("建筑劳务", "物业服务"),
    ),
    AgencyTemplate(
        "civil_affairs",
        "{county}民政局",
        ORGAN,
        (CIVIL_AFFAIRS,),
        _organ_basis(SOCIAL_ORGANIZATIONS, FUNERALS),
        3,
        CIVIL_AFFAIRS_MATTERS,
    ),
    AgencyTemplate(
        "ecology",
        "{city}生态环境局{county_short}分局",
        ORGAN,
        (ECOLOGY,),
        _organ_basis(ENVIRONMENT, AIR, WATER_POLLUTION, SOLID_WASTE),
        14,
        ECOLOGY_MATTERS,
        credit_region="city",
        parent="{city_government}",
        party_weight=3,
        party_trades=("煤化工", "天然气", "能源化工"),
    ),
    AgencyTemplate(
        "fire",
        "{county}消防救援大队",
        AUTHORIZED,
        (FIRE_FIELD,),
        f"{FIRE}第四条（县级人民政府消防救援机构负责实施消防监督管理）",
        9,
        FIRE_MATTERS,
        head_post="大队长",
        reviewer_post="法制审核员",
        posts=("消防监督员", "防火监督员", "参谋", "宣传员"),
        head_department="大队部",
        reviewer_department="法制审核室",
        departments=("防火监督组", "综合组"),
        party_weight=2,
        party_trades=("酒店管理", "商贸", "娱乐"),
        staffing=(("administrative", 100),),
    ),
    AgencyTemplate(
        "energy",
        "{county}能源局",
        ORGAN,
        (ENERGY,),
        _organ_basis(COAL_MINES, PIPELINES, POWER_FACILITIES),
        8,
        ENERGY_MATTERS,
        reviewers=0,
        party_weight=1,
        party_trades=("煤炭", "天然气"),
    ),
    AgencyTemplate(
        "meteorology",
        "{county}气象局",
        AUTHORIZED,
        (METEOROLOGY_FIELD,),
        f"{METEOROLOGY}、{METEOROLOGICAL_DISASTERS}（法律、法规授权气象主管机构）",
        3,
        METEOROLOGY_MATTERS,
        credit_prefix="12",
        staffing=(("civil_service_managed", 70), ("public_institution", 30)),
    ),
    AgencyTemplate(
        "statistics",
        "{county}统计局",
        ORGAN,
        (STATISTICS_FIELD,),
        _organ_basis(STATISTICS),
        2,
        STATISTICS_MATTERS,
        understaffed=True,
    ),
)

TOWN_TEMPLATE = AgencyTemplate(
    "town",
    "{county}{town}人民政府",
    ORGAN,
    (TOWN_FIELD,),
    f"{PENALTY_LAW}第二十四条；{PLANNING}第六十五条；自治区关于向苏木乡镇下放行政执法权的决定及{{county}}赋权事项清单",
    4,
    TOWN_MATTERS,
    head_post="综合行政执法队队长",
    reviewer_post="法制审核员",
    posts=("综合行政执法队队员", "综合行政执法队队员", "科员", "一级科员"),
    head_department="综合行政执法队",
    reviewer_department="司法所",
    departments=("综合行政执法队",),
    party_weight=1,
    party_trades=("牧业", "养殖", "商贸"),
    staffing=TOWN_STAFFING,
)

# Per-town adjustments in the demo banner: the smallest sumu has no legal reviewer.
TOWN_REVIEWERS: dict[str, int] = {"苏力德苏木": 0}
TOWN_IRREGULAR: dict[str, int] = {"嘎鲁图镇": 1}

# --- Counties --------------------------------------------------------------------------------

ORDOS = ("鄂尔多斯市", "150600", "鄂尔多斯市人民政府", "0477")
WUSHEN = County(
    "150626",
    "乌审旗",
    "乌审旗",
    *ORDOS,
    seat="嘎鲁图镇",
    towns=("嘎鲁图镇", "乌审召镇", "图克镇", "乌兰陶勒盖镇", "无定河镇", "苏力德苏木"),
    town_weights=(7, 5, 6, 4, 5, 3),
)

# Further counties, used only when a benchmark asks for more than one banner's volume. Towns are
# listed for the Ordos banners; elsewhere only the banner's departments are generated.
MORE_COUNTIES: tuple[County, ...] = (
    County(
        "150627",
        "伊金霍洛旗",
        "伊金霍洛旗",
        *ORDOS,
        seat="阿勒腾席热镇",
        towns=(
            "阿勒腾席热镇",
            "乌兰木伦镇",
            "纳林陶亥镇",
            "札萨克镇",
            "伊金霍洛镇",
            "红庆河镇",
            "苏布尔嘎镇",
        ),
    ),
    County(
        "150624",
        "鄂托克旗",
        "鄂托克旗",
        *ORDOS,
        seat="乌兰镇",
        towns=("乌兰镇", "棋盘井镇", "蒙西镇", "木凯淖尔镇", "苏米图苏木", "阿尔巴斯苏木"),
    ),
    County(
        "150625",
        "杭锦旗",
        "杭锦旗",
        *ORDOS,
        seat="锡尼镇",
        towns=("锡尼镇", "巴拉贡镇", "吉日嘎朗图镇", "独贵塔拉镇", "呼和木独镇", "伊和乌素苏木"),
    ),
    County(
        "150621",
        "达拉特旗",
        "达拉特旗",
        *ORDOS,
        seat="树林召镇",
        towns=(
            "树林召镇",
            "王爱召镇",
            "白泥井镇",
            "吉格斯太镇",
            "昭君镇",
            "风水梁镇",
            "恩格贝镇",
            "中和西镇",
        ),
    ),
    County(
        "150622",
        "准格尔旗",
        "准格尔旗",
        *ORDOS,
        seat="薛家湾镇",
        towns=("薛家湾镇", "沙圪堵镇", "大路镇", "纳日松镇", "龙口镇", "准格尔召镇", "布尔陶亥苏木"),
    ),
    County(
        "150623",
        "鄂托克前旗",
        "鄂托克前旗",
        *ORDOS,
        seat="敖勒召其镇",
        towns=("敖勒召其镇", "上海庙镇", "城川镇", "昂素镇"),
    ),
    County("150602", "东胜区", "鄂尔多斯市东胜区", *ORDOS),
    County("150603", "康巴什区", "鄂尔多斯市康巴什区", *ORDOS),
    County("150121", "土默特左旗", "土默特左旗", "呼和浩特市", "150100", "呼和浩特市人民政府", "0471"),
    County("150122", "托克托县", "托克托县", "呼和浩特市", "150100", "呼和浩特市人民政府", "0471"),
    County("150123", "和林格尔县", "和林格尔县", "呼和浩特市", "150100", "呼和浩特市人民政府", "0471"),
    County("150124", "清水河县", "清水河县", "呼和浩特市", "150100", "呼和浩特市人民政府", "0471"),
    County("150125", "武川县", "武川县", "呼和浩特市", "150100", "呼和浩特市人民政府", "0471"),
    County("150221", "土默特右旗", "土默特右旗", "包头市", "150200", "包头市人民政府", "0472"),
    County("150222", "固阳县", "固阳县", "包头市", "150200", "包头市人民政府", "0472"),
    County(
        "150223", "达尔罕茂明安联合旗", "达尔罕茂明安联合旗", "包头市", "150200", "包头市人民政府", "0472"
    ),
    County("150821", "五原县", "五原县", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("150822", "磴口县", "磴口县", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("150823", "乌拉特前旗", "乌拉特前旗", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("150824", "乌拉特中旗", "乌拉特中旗", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("150825", "乌拉特后旗", "乌拉特后旗", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("150826", "杭锦后旗", "杭锦后旗", "巴彦淖尔市", "150800", "巴彦淖尔市人民政府", "0478"),
    County("152921", "阿拉善左旗", "阿拉善左旗", "阿拉善盟", "152900", "阿拉善盟行政公署", "0483"),
    County("152922", "阿拉善右旗", "阿拉善右旗", "阿拉善盟", "152900", "阿拉善盟行政公署", "0483"),
    County("152923", "额济纳旗", "额济纳旗", "阿拉善盟", "152900", "阿拉善盟行政公署", "0483"),
)

# County-level codes of each city, for the birthplaces in ID numbers.
CITY_COUNTY_CODES: dict[str, tuple[str, ...]] = {
    "150600": ("150602", "150603", "150621", "150622", "150623", "150624", "150625", "150626", "150627"),
    "150100": ("150102", "150103", "150104", "150105", "150121", "150122", "150123", "150124", "150125"),
    "150200": ("150202", "150203", "150204", "150205", "150206", "150207", "150221", "150222", "150223"),
    "150800": ("150802", "150821", "150822", "150823", "150824", "150825", "150826"),
    "152900": ("152921", "152922", "152923"),
}

# --- People and places -----------------------------------------------------------------------

HAN_SURNAMES = "王王王张张李李刘刘杨高郝贺白乔薛杜赵苏郭马冯陈孙霍武任田闫康韩梁吕石邬尚边云温折"
HAN_GIVEN_MALE = (
    "建军", "志强", "海军", "永平", "俊峰", "国栋", "文斌", "晓东", "宏伟", "亮", "鹏", "磊", "斌", "飞", "超",
    "波", "军", "浩", "宇航", "泽宇", "瑞", "志刚", "二虎", "金山", "振华", "利军", "占军", "海平", "旭东", "永刚",
    "鹏飞", "晓军", "伟", "强", "凯", "明亮", "文杰", "子豪", "昊天", "慧军",
)  # fmt: skip
HAN_GIVEN_FEMALE = (
    "丽娟", "晓燕", "雪梅", "慧", "婷", "艳", "敏", "静", "芳", "佳", "瑞霞", "海燕", "玉梅", "小丽", "彩霞",
    "春燕", "美荣", "秀英", "利萍", "俊梅", "晓霞", "丽", "娜", "欣悦", "雅琪", "思雨", "梦瑶", "文静", "晓慧", "亚楠",
)  # fmt: skip
# Mongolian names are usually used alone; in Ordos some families carry a surname such as 奇 or 包.
MONGOLIAN_SURNAMES = "奇奇包白宝韩鲍"
MONGOLIAN_MALE = (
    "巴特尔", "额尔敦", "苏和", "那顺", "孟和", "巴图", "朝鲁", "宝音", "达来", "布和", "吉日嘎拉", "阿拉坦仓",
    "特木尔", "毕力格", "额尔德木图", "斯日古楞", "图门", "巴雅尔", "哈斯巴根", "格日勒图", "乌力吉", "朝格图",
    "那仁", "敖其尔", "白音", "照日格图", "呼和", "阿木尔", "巴音孟和", "额尔德尼", "苏德", "满都拉", "图布信",
    "宝力道", "扎那", "巴图孟和", "阿拉腾", "达布希拉图", "乌日图", "布仁巴雅尔",
)  # fmt: skip
MONGOLIAN_FEMALE = (
    "乌云其木格", "斯琴", "萨仁高娃", "娜仁花", "托娅", "其木格", "高娃", "塔娜", "苏日娜", "乌兰", "其其格",
    "格日乐", "图雅", "萨仁", "斯琴高娃", "娜仁托娅", "乌日娜", "哈斯", "阿荣", "吉雅", "额尔敦其其格",
    "乌仁", "琪琪格", "诺敏", "阿茹娜", "萨日娜", "乌吉斯古冷", "敖登", "其其格玛",
)  # fmt: skip

GENERIC_STREETS = ("民族街", "团结路", "建设街", "文化路", "滨河路", "政府路", "广场路", "迎宾大道")
STREETS = (*GENERIC_STREETS, "乌审召路", "苏力德大街", "萨拉乌苏大街", "无定河路")

TRADE_NAMES = (
    "苏里格", "毛乌素", "萨拉乌苏", "无定河", "嘎鲁图", "乌审召", "巴图湾", "纳林河", "呼吉尔特", "查干", "巴音",
    "宝日", "乌兰", "苏力德", "鑫源", "恒泰", "众诚", "瑞丰", "金穗", "蒙源", "天骄", "博源", "正元", "金牛",
    "草原人", "利民", "昌盛", "和兴", "德胜",
)  # fmt: skip
SHOP_KINDS = (
    "手把肉馆", "蒙餐馆", "烟酒副食店", "汽车修理部", "奶食品店", "羊肉馆", "便利店", "百货店", "五金建材店",
    "农资门市部", "理发店", "饲草料经销部",
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    """How a certificate turns out for an ordinary officer, with its share of officers."""

    name: str
    share: float


CERTIFICATE_SCENARIOS: tuple[Scenario, ...] = (
    Scenario("none", 0.03),  # newly recruited, exam not yet taken
    Scenario("expired", 0.05),
    Scenario("suspended", 0.02),
    Scenario("expiring", 0.08),  # within the 60-day warning window
    Scenario("renewed", 0.06),  # an expired certificate and its valid successor
    Scenario("valid", 0.76),
)
CERTIFICATE_YEARS = 5
EXPIRY_WARNING_DAYS = 60
