"""Names, people and telephone numbers of the example dataset, as the documents' world has them.

An enterprise is named as registered companies are (企业名称登记管理规定: 行政区划 + 字号 + 行业 + 组织形式): the short
name of its county-level city or county (else of its prefecture), a trade name (字号), its trade and 有限公司 or
股份有限公司; names are unique, a taken one gets another trade name, then a 分厂-style variant. People have common
surnames and given names; telephones carry the real area code of the enterprise's prefecture (a table for the
prefectures of Sichuan, Guangdong and Shandong, the province's code range for others), and now and then a mobile.
"""

from __future__ import annotations

import random

from cpsdk.codes import region_name

#: Trade names (字号) an enterprise or agency may take.
TRADE_NAMES = (
    "华兴",
    "宏达",
    "恒信",
    "金川",
    "天成",
    "新元",
    "鑫盛",
    "永泰",
    "润丰",
    "东方",
    "嘉和",
    "瑞丰",
    "宏远",
    "泰和",
    "金鼎",
    "正大",
    "华茂",
    "远大",
    "利民",
    "众兴",
    "昌盛",
    "海联",
    "三友",
    "德润",
    "国泰",
    "中亿",
    "银河",
    "红星",
    "蓝天",
    "汇通",
    "佳禾",
    "弘毅",
)
#: Variants a name takes when every trade name is taken with its place and trade.
_VARIANTS = ("第一分公司", "第二分公司", "二厂", "三厂", "分厂")

#: The most common surnames (第七次全国人口普查 order, roughly) and characters of given names.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉玉兰俊峰海燕鹏飞宇浩婷雪梅林波亮鑫晨昊欣怡佳琳"

#: 长途区号 of the prefectures of Sichuan, Guangdong and Shandong, with the digits of a local number (8 in the
#: large cities, 7 in smaller ones). 眉山 and 资阳 joined 成都's 028 in 2016-2018.
AREA_CODES: dict[str, tuple[str, int]] = {
    "5101": ("028", 8),
    "5103": ("0813", 7),
    "5104": ("0812", 7),
    "5105": ("0830", 7),
    "5106": ("0838", 7),
    "5107": ("0816", 7),
    "5108": ("0839", 7),
    "5109": ("0825", 7),
    "5110": ("0832", 7),
    "5111": ("0833", 7),
    "5113": ("0817", 7),
    "5114": ("028", 8),
    "5115": ("0831", 7),
    "5116": ("0826", 7),
    "5117": ("0818", 7),
    "5118": ("0835", 7),
    "5119": ("0827", 7),
    "5120": ("028", 8),
    "5132": ("0837", 7),
    "5133": ("0836", 7),
    "5134": ("0834", 7),
    "4401": ("020", 8),
    "4402": ("0751", 7),
    "4403": ("0755", 8),
    "4404": ("0756", 7),
    "4405": ("0754", 8),
    "4406": ("0757", 8),
    "4407": ("0750", 7),
    "4408": ("0759", 7),
    "4409": ("0668", 7),
    "4412": ("0758", 7),
    "4413": ("0752", 7),
    "4414": ("0753", 7),
    "4415": ("0660", 7),
    "4416": ("0762", 7),
    "4417": ("0662", 7),
    "4418": ("0763", 7),
    "4419": ("0769", 8),
    "4420": ("0760", 8),
    "4451": ("0768", 7),
    "4452": ("0663", 7),
    "4453": ("0766", 7),
    "3701": ("0531", 8),
    "3702": ("0532", 8),
    "3703": ("0533", 7),
    "3704": ("0632", 7),
    "3705": ("0546", 7),
    "3706": ("0535", 7),
    "3707": ("0536", 7),
    "3708": ("0537", 7),
    "3709": ("0538", 7),
    "3710": ("0631", 7),
    "3711": ("0633", 7),
    "3712": ("0634", 7),
    "3713": ("0539", 7),
    "3714": ("0534", 7),
    "3715": ("0635", 7),
    "3716": ("0543", 7),
    "3717": ("0530", 7),
}
#: Other provinces: the municipalities' own code, else the first three digits of the province's range (the last
#: digit is taken from the prefecture's code).
_PROVINCE_AREA = {
    "11": "010",
    "12": "022",
    "31": "021",
    "50": "023",
    "13": "031",
    "14": "035",
    "15": "047",
    "21": "041",
    "22": "043",
    "23": "045",
    "32": "051",
    "33": "057",
    "34": "055",
    "35": "059",
    "36": "079",
    "41": "037",
    "42": "071",
    "43": "073",
    "45": "077",
    "46": "0898",
    "52": "085",
    "53": "087",
    "54": "089",
    "61": "091",
    "62": "093",
    "63": "097",
    "64": "095",
    "65": "099",
}


def area_code(prefecture: str) -> tuple[str, int]:
    """The area code of a prefecture (4 digits of GB/T 2260) and the digits of its local numbers."""
    if prefecture in AREA_CODES:
        return AREA_CODES[prefecture]
    prefix = _PROVINCE_AREA.get(prefecture[:2], "0" + prefecture[:2])
    if len(prefix) == 4 or prefecture[:2] in {"11", "12", "31", "50"}:
        return prefix, 8
    return prefix + str(int(prefecture[2:4]) % 10), 7


def phone(rng: random.Random, prefecture: str, mobile_share: float = 0.2) -> str:
    """A landline of ``prefecture`` (``028-86123456``), or now and then a mobile (``13912345678``)."""
    if rng.random() < mobile_share:
        return rng.choice(("13", "15", "18")) + str(rng.randrange(0, 10)) + str(rng.randrange(10_000_000, 100_000_000))
    code, digits = area_code(prefecture)
    return f"{code}-{rng.randrange(2 * 10 ** (digits - 1), 9 * 10 ** (digits - 1))}"


def person(rng: random.Random) -> str:
    """A Chinese personal name: a common surname and one or two given-name characters."""
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def short_place(code: str) -> str:
    """The short name of a place as company names use it: ``简阳市`` → 简阳, ``富顺县`` → 富顺, ``成都市`` → 成都,
    a prefecture's autonomous prefecture by its first two characters (阿坝); an urban district is no place
    word (its prefecture's is used)."""
    name = region_name(code) or ""
    if len(code) == 6 and not (name.endswith(("县", "市")) and len(name) >= 3 and "自治" not in name):
        return short_place(code[:4])
    if len(code) == 4 and name == "市辖区":
        return short_place(code[:2])
    for suffix in ("市", "县", "省"):
        if name.endswith(suffix) and len(name) >= 3:
            return name[: -len(suffix)]
    return name[:2]


def enterprise_name(rng: random.Random, county: str, trade: str, taken: set[str], joint_stock: bool) -> str:
    """A unique enterprise name of ``county``: place word (the county's or its prefecture's), trade name,
    ``trade``, organisational form; another trade name when taken, then a branch-style variant."""
    places = [short_place(county)]
    if places[0] != short_place(county[:4]):
        places.append(short_place(county[:4]))
    place = places[0] if len(places) == 1 or rng.random() < 0.6 else places[1]
    form = "股份有限公司" if joint_stock else "有限公司"
    start = rng.randrange(len(TRADE_NAMES))
    for place_word in (place, *places):
        for k in range(len(TRADE_NAMES)):
            name = f"{place_word}{TRADE_NAMES[(start + k) % len(TRADE_NAMES)]}{trade}{form}"
            if name not in taken:
                taken.add(name)
                return name
    base = f"{place}{TRADE_NAMES[start]}{trade}{form}"
    for variant in _VARIANTS:
        if base + variant not in taken:
            taken.add(base + variant)
            return base + variant
    # A county with more enterprises of one trade than the single trade names give (national-size datasets
    # crowd a few counties): two trade names joined, as real companies are named, then numbered branches.
    for k in range(len(TRADE_NAMES) * len(TRADE_NAMES)):
        first, second = (
            TRADE_NAMES[(start + k // len(TRADE_NAMES)) % len(TRADE_NAMES)],
            TRADE_NAMES[k % len(TRADE_NAMES)],
        )
        name = f"{place}{first}{second}{trade}{form}"
        if first != second and name not in taken:
            taken.add(name)
            return name
    branch = 1
    while (name := f"{base}第{_numeral(branch)}分公司") in taken:
        branch += 1
    taken.add(name)
    return name


def _numeral(n: int) -> str:
    """``n`` in Chinese numerals as a branch's ordinal prints it: 3 → 三, 12 → 十二, 45 → 四十五; from 100 on,
    digit by digit (一〇七)."""
    digits = "〇一二三四五六七八九"
    if n >= 100:
        return "".join(digits[int(d)] for d in str(n))
    tens, ones = divmod(n, 10)
    return (digits[tens] if tens > 1 else "") + ("十" if tens else "") + (digits[ones] if ones else "")


def agency_name(rng: random.Random, prefecture: str, taken: set[str]) -> str:
    """A consultancy's name in ``prefecture`` (unique in ``taken``)."""
    kinds = ("环保科技有限公司", "清洁生产技术咨询有限公司", "节能环保技术服务有限公司", "环境工程咨询有限公司")
    place = short_place(prefecture)
    start = rng.randrange(len(TRADE_NAMES))
    kind = rng.choice(kinds)
    for k in range(len(TRADE_NAMES)):
        name = f"{place}{TRADE_NAMES[(start + k) % len(TRADE_NAMES)]}{kind}"
        if name not in taken:
            taken.add(name)
            return name
    raise ValueError("no name left")  # pragma: no cover
