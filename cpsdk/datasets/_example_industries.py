"""The industries of the example dataset: what each class makes and discharges, and the proposals it typically has.

Sources, marked on each measure: [十二五] MIIT 工业清洁生产推行“十二五”规划 (seed 000: the technologies
of 三(二) and the seven reduction projects of 四); [山西] 山西省清洁生产“十二五”推行规划 (seed 003: 焦化、冶金、
电力、建材); measures without a mark are common practice in the industry's 清洁生产审核指南 and
清洁生产评价指标体系. General measures (:data:`GENERAL_NO_LOW`, :data:`GENERAL_MID_HIGH`) fit every industry.
"""

from __future__ import annotations

import attrs

from cpsdk.model._vocabulary import Metric


@attrs.frozen
class Measure:
    """A proposal as an industry typically words it, and what it cuts beyond electricity and money.

    ``cuts`` names the metrics the measure reduces: its first conventional pollutant (:data:`CONVENTIONAL`) is
    the one its main effect reports; the other metrics become extra effects (heavy metals, 总磷, coal, and the
    CO₂ of the coal or electricity it saves).
    """

    name: str
    cuts: tuple[Metric, ...] = ()


@attrs.frozen
class ExampleIndustry:
    """A GB/T 4754-2017 class of the example, with its key-industry tags, trade word, products and pollutants.

    ``reduces`` are the conventional pollutants its effects report when a measure does not name one.
    """

    code: str
    tags: tuple[str, ...]
    trade: str
    products: tuple[str, ...]
    pollutants: tuple[str, ...]
    reduces: tuple[Metric, ...]
    no_low: tuple[Measure, ...]
    mid_high: tuple[Measure, ...]

    @property
    def plausible(self) -> frozenset[Metric]:
        """The pollutants an effect of this industry's enterprises may reduce."""
        measures = (*self.no_low, *self.mid_high, *GENERAL_NO_LOW, *GENERAL_MID_HIGH)
        return frozenset(self.reduces) | {m for measure in measures for m in measure.cuts if m.pollutant}


#: Pollutants an effect's main reduction may be (tonnes, generation or discharge basis).
CONVENTIONAL = frozenset(
    (Metric.COD, Metric.AMMONIA_NITROGEN, Metric.SO2, Metric.NOX, Metric.DUST, Metric.SMOKE_DUST, Metric.VOCS)
)

_M = Metric
#: Raw coal saved and the CO₂ that coal would have emitted.
_COAL_CO2 = (_M.COAL, _M.CO2)

#: No/low-cost measures of any industry.
GENERAL_NO_LOW = (
    Measure("加强设备维护减少跑冒滴漏"),
    Measure("优化工艺参数"),
    Measure("更换节能灯具", (_M.CO2,)),
    Measure("完善计量器具"),
    Measure("加强员工操作培训"),
    Measure("空压机管网泄漏治理", (_M.CO2,)),
)
#: Mid/high-cost measures of any industry.
GENERAL_MID_HIGH = (
    Measure("电机变频节能改造", (_M.CO2,)),
    Measure("空压机系统节能改造", (_M.CO2,)),
)
#: Burning gas instead of coal in a steam boiler: for the industries that raise steam.
_BOILER = Measure("清洁能源替代燃煤锅炉", _COAL_CO2)
_CONDENSATE = Measure("冷凝水回收利用")

#: The example's industries, in the order the generator draws them (the order and the count fix the random stream).
INDUSTRIES: tuple[ExampleIndustry, ...] = (
    ExampleIndustry(
        code="3011",
        tags=(),
        trade="水泥",
        products=("水泥", "水泥熟料"),
        pollutants=("粉尘", "SO₂", "NOₓ"),
        reduces=(_M.DUST, _M.SO2, _M.NOX),
        no_low=(
            Measure("加强窑系统密封减少漏风", _COAL_CO2),
            Measure("原料堆场封闭抑尘", (_M.DUST,)),
            Measure("加强收尘器滤袋维护", (_M.DUST,)),
        ),
        mid_high=(
            Measure("水泥窑纯低温余热发电", (_M.CO2,)),  # [山西]
            Measure("水泥窑低氮燃烧技术改造", (_M.NOX,)),  # [十二五]
            Measure("水泥窑非催化还原（SNCR）脱硝改造", (_M.NOX,)),  # [十二五]
            Measure("水泥窑协同处置固体废物", _COAL_CO2),  # [山西]
            Measure("篦冷机节能改造", _COAL_CO2),
            Measure("窑尾袋式除尘器提标改造", (_M.DUST,)),
        ),
    ),
    ExampleIndustry(
        code="2621",
        tags=(),
        trade="化肥",
        products=("合成氨", "尿素"),
        pollutants=("氨氮", "COD", "总磷"),
        reduces=(_M.AMMONIA_NITROGEN, _M.COD),
        no_low=(
            Measure("优化造气炉操作降低吨氨煤耗", _COAL_CO2),
            Measure("循环冷却水系统优化减少排污", (_M.TOTAL_PHOSPHORUS,)),
            Measure("合成氨弛放气氢回收"),
        ),
        mid_high=(
            Measure("氮肥生产污水零排放改造", (_M.AMMONIA_NITROGEN, _M.TOTAL_PHOSPHORUS)),  # [十二五]
            Measure("造气吹风气余热回收", _COAL_CO2),
            Measure("尿素工艺冷凝液深度水解解吸改造", (_M.AMMONIA_NITROGEN,)),
        ),
    ),
    ExampleIndustry(
        code="2221",  # 机制纸及纸板制造, with a coal-fired boiler of its own
        tags=(),
        trade="纸业",
        products=("文化用纸", "生活用纸", "箱纸板"),
        pollutants=("COD", "氨氮", "SO₂", "总磷"),
        reduces=(_M.COD, _M.SO2, _M.AMMONIA_NITROGEN),
        no_low=(
            _CONDENSATE,
            Measure("白水回收利用", (_M.COD,)),
            Measure("纸浆洗涤逆流节水", (_M.COD,)),
            Measure("优化锅炉燃烧调整降低煤耗", (_M.SO2, _M.COAL, _M.CO2)),
        ),
        mid_high=(
            Measure("纸浆无元素氯漂白改造", (_M.COD,)),  # [十二五]
            Measure("非木材纤维清洁制浆及废液资源化利用", (_M.COD,)),  # [十二五]
            Measure("制浆造纸废水深度处理回用", (_M.COD, _M.TOTAL_PHOSPHORUS)),
            Measure("自备锅炉烟气石灰石-石膏湿法脱硫改造", (_M.SO2,)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="3212",
        tags=(),
        trade="铅锌",
        products=("电解铅", "电解锌"),
        pollutants=("铅", "镉", "砷", "SO₂", "粉尘"),
        reduces=(_M.SO2, _M.DUST),
        no_low=(
            Measure("加强冶炼烟气收集减少无组织排放", (_M.DUST, _M.LEAD_DUST, _M.LEAD)),
            Measure("冶炼废水分类收集", (_M.LEAD, _M.CADMIUM)),
        ),
        mid_high=(
            Measure("氧气底吹-液态高铅渣直接还原炼铅技术改造", (_M.SO2, _M.LEAD_DUST, _M.LEAD)),  # [十二五]
            Measure("铅锌冶炼废水分质回用集成改造", (_M.LEAD, _M.CADMIUM, _M.ARSENIC)),  # [十二五]
            Measure("电解锌浸出渣水溶锌多级逆流洗涤回收", (_M.CADMIUM,)),  # [十二五]
            Measure("冶炼烟气制酸尾气脱硫改造", (_M.SO2,)),
        ),
    ),
    ExampleIndustry(
        code="3360",  # 金属表面处理及热处理加工: 电镀
        tags=(),
        trade="表面处理",
        products=("电镀加工", "金属表面处理加工"),
        pollutants=("铬", "镍", "COD", "氨氮"),
        reduces=(_M.COD, _M.AMMONIA_NITROGEN),
        no_low=(
            Measure("镀件出槽延长滴水时间减少带出", (_M.CHROMIUM, _M.CHROMIUM_RESIDUE)),
            Measure("多级逆流漂洗节水", (_M.CHROMIUM,)),
            Measure("镀液过滤延长使用周期"),
        ),
        mid_high=(
            Measure("无氰电镀工艺改造", (_M.COD,)),  # [十二五] 无铬无氰钨合金电镀
            Measure("低铬镀铬工艺改造", (_M.CHROMIUM,)),  # [十二五]
            Measure("镀铬液在线回收改造", (_M.CHROMIUM, _M.CHROMIUM_RESIDUE)),  # [十二五]
            Measure("电镀废水分质处理回用", (_M.CHROMIUM, _M.CHROMIUM_RESIDUE)),
        ),
    ),
    ExampleIndustry(
        code="2613",  # 无机盐制造: 铬盐
        tags=("chromium_salt",),
        trade="铬盐化工",
        products=("重铬酸钠", "铬酸酐"),
        pollutants=("铬", "铬渣", "粉尘", "SO₂"),
        reduces=(_M.DUST, _M.SO2),
        no_low=(
            Measure("含铬废水回收回用", (_M.CHROMIUM, _M.CHROMIUM_RESIDUE)),
            Measure("加强铬渣堆场防渗防雨管理", (_M.CHROMIUM,)),
        ),
        mid_high=(
            Measure("无钙焙烧工艺改造", (_M.CHROMIUM_RESIDUE, _M.CHROMIUM)),  # [十二五]
            Measure("钾系亚熔盐液相氧化法改造", (_M.CHROMIUM_RESIDUE,)),  # [十二五]
            Measure("气动流化塔连续液相氧化生产铬酸钠", (_M.CHROMIUM_RESIDUE,)),  # [十二五]
            Measure("回转窑烟气除尘改造", (_M.DUST,)),
        ),
    ),
    ExampleIndustry(
        code="2651",  # 初级形态塑料及合成树脂制造: 电石法聚氯乙烯
        tags=("carbide_pvc",),
        trade="聚氯乙烯",
        products=("聚氯乙烯树脂",),
        pollutants=("汞", "COD", "粉尘"),
        reduces=(_M.COD, _M.DUST),
        no_low=(
            Measure("加强氯化汞触媒更换管理", (_M.MERCURY_USE,)),
            Measure("含汞废水回收处理", (_M.MERCURY,)),
        ),
        mid_high=(
            Measure("低汞触媒替代高汞触媒", (_M.MERCURY_USE, _M.MERCURY)),  # [十二五]
            Measure("高效汞回收改造", (_M.MERCURY_USE, _M.MERCURY)),  # [十二五]
            Measure("聚合母液水处理回用", (_M.COD,)),
            Measure("电石渣综合利用", (_M.DUST,)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="1713",  # 棉印染精加工
        tags=(),
        trade="印染",
        products=("印染布",),
        pollutants=("COD", "氨氮", "总磷"),
        reduces=(_M.COD, _M.AMMONIA_NITROGEN),
        no_low=(
            _CONDENSATE,
            Measure("优化染色浴比", (_M.COD,)),
            Measure("定型机废气余热回收"),
        ),
        mid_high=(
            Measure("高效短流程前处理工艺改造", (_M.COD,)),  # [十二五]
            Measure("丝光淡碱回收再利用", (_M.COD,)),  # [十二五]
            Measure("生物酶退浆精练工艺改造", (_M.COD,)),  # [十二五] 生物脱胶退浆精炼
            Measure("印染废水深度处理回用", (_M.COD, _M.TOTAL_PHOSPHORUS)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="2710",  # 化学药品原料药制造
        tags=(),
        trade="制药",
        products=("化学原料药",),
        pollutants=("COD", "氨氮", "VOCs"),
        reduces=(_M.COD, _M.AMMONIA_NITROGEN, _M.VOCS),
        no_low=(
            _CONDENSATE,
            Measure("溶剂储罐呼吸阀改造减少挥发", (_M.VOCS,)),
            Measure("结晶母液套用", (_M.COD,)),
        ),
        mid_high=(
            Measure("绿色酶法合成工艺改造", (_M.COD,)),  # [十二五]
            Measure("有机溶剂冷凝回收装置改造", (_M.VOCS,)),
            Measure("高浓度制药废水预处理改造", (_M.COD, _M.AMMONIA_NITROGEN)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="3120",  # 炼钢
        tags=(),
        trade="钢铁",
        products=("钢坯", "钢材"),
        pollutants=("粉尘", "SO₂", "NOₓ"),
        reduces=(_M.DUST, _M.SO2, _M.NOX),
        no_low=(
            Measure("加强加热炉燃烧管理", _COAL_CO2),
            Measure("优化转炉煤气回收操作", (_M.CO2,)),
            Measure("料场洒水抑尘", (_M.DUST,)),
        ),
        mid_high=(
            Measure("烧结烟气石灰石-石膏湿法脱硫改造", (_M.SO2,)),  # [十二五]
            Measure("高炉煤气余压余热发电改造", _COAL_CO2),  # [山西]
            Measure("连铸坯热装热送改造", _COAL_CO2),  # [山西]
            Measure("转炉煤气干法除尘改造", (_M.DUST,)),  # [山西]
            Measure("干熄焦改造", (_M.DUST, _M.COAL, _M.CO2)),  # [山西]
            Measure("加热炉低氮燃烧改造", (_M.NOX,)),  # [十二五]
        ),
    ),
    ExampleIndustry(
        code="3841",  # 锂离子电池制造
        tags=(),
        trade="锂电",
        products=("锂离子电池",),
        pollutants=("COD", "VOCs", "粉尘"),
        reduces=(_M.COD, _M.VOCS, _M.DUST),
        no_low=(
            Measure("优化涂布烘箱温度曲线"),
            Measure("加强NMP回收装置维护", (_M.VOCS,)),
            Measure("干燥房除湿系统运行优化"),
        ),
        mid_high=(
            Measure("NMP废气冷凝回收改造", (_M.VOCS,)),
            Measure("正负极粉料密闭输送改造", (_M.DUST,)),
            Measure("干燥房转轮除湿节能改造"),
        ),
    ),
    ExampleIndustry(
        code="3871",  # 电光源制造: 荧光灯
        tags=("fluorescent_lamp",),
        trade="照明",
        products=("紧凑型荧光灯", "直管荧光灯"),
        pollutants=("汞", "粉尘"),
        reduces=(_M.DUST,),
        no_low=(
            Measure("加强汞原料计量管理", (_M.MERCURY_USE,)),
            Measure("废灯管分类回收", (_M.MERCURY,)),
        ),
        mid_high=(
            Measure("固态汞注入技术改造", (_M.MERCURY_USE, _M.MERCURY)),  # [十二五]
            Measure("低汞长寿命节能灯生产线改造", (_M.MERCURY_USE,)),  # [十二五] 汞含量2mg以下
            Measure("荧光粉涂覆工序除尘改造", (_M.DUST,)),
        ),
    ),
    ExampleIndustry(
        code="3140",  # 铁合金冶炼: 电解锰
        tags=("electrolytic_manganese",),
        trade="锰业",
        products=("电解金属锰",),
        pollutants=("氨氮", "锰", "铬", "粉尘"),
        reduces=(_M.AMMONIA_NITROGEN, _M.DUST),
        no_low=(
            Measure("电解槽滴漏液收集回用", (_M.AMMONIA_NITROGEN,)),
            Measure("钝化液回收", (_M.CHROMIUM,)),
        ),
        mid_high=(
            Measure("电解锰氨氮废水全过程控制", (_M.AMMONIA_NITROGEN,)),  # [十二五]
            Measure("无铬钝化工艺改造", (_M.CHROMIUM,)),
            Measure("锰渣无害化处理综合利用", (_M.AMMONIA_NITROGEN,)),
            Measure("锰矿粉制粉系统除尘改造", (_M.DUST,)),
        ),
    ),
    ExampleIndustry(
        code="1512",  # 白酒制造
        tags=(),
        trade="酒业",
        products=("白酒",),
        pollutants=("COD", "氨氮", "总磷"),
        reduces=(_M.COD, _M.AMMONIA_NITROGEN),
        no_low=(
            _CONDENSATE,
            Measure("冷却水循环利用"),
            Measure("底锅水回收", (_M.COD,)),
        ),
        mid_high=(
            Measure("酒糟废液全糟处理", (_M.COD, _M.TOTAL_PHOSPHORUS)),  # [十二五] 酒精糟液废水全糟处理
            Measure("酒糟资源化综合利用", (_M.COD,)),
            Measure("黄水资源化利用", (_M.COD, _M.TOTAL_PHOSPHORUS)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="3982",  # 电子电路制造: 印制电路板
        tags=(),
        trade="电子",
        products=("印制电路板",),
        pollutants=("COD", "氨氮", "铜", "镍", "铅", "VOCs"),
        reduces=(_M.COD, _M.AMMONIA_NITROGEN, _M.VOCS),
        no_low=(
            Measure("多级逆流漂洗节水", (_M.COD,)),
            Measure("加强显影蚀刻液浓度控制", (_M.COD,)),
        ),
        mid_high=(
            Measure("无铅焊料工艺改造", (_M.LEAD,)),  # [十二五]
            Measure("酸性蚀刻液在线再生及铜回收", (_M.AMMONIA_NITROGEN,)),
            Measure("含铜废水分质处理回用", (_M.COD,)),
            Measure("丝印废气活性炭吸附改造", (_M.VOCS,)),
        ),
    ),
    ExampleIndustry(
        code="3670",  # 汽车零部件及配件制造
        tags=(),
        trade="汽车零部件",
        products=("汽车零部件",),
        pollutants=("VOCs", "COD", "总磷"),
        reduces=(_M.VOCS, _M.COD),
        no_low=(
            Measure("更换高传递效率喷枪", (_M.VOCS,)),
            Measure("加强调漆间密闭管理", (_M.VOCS,)),
        ),
        mid_high=(
            Measure("水性涂料替代溶剂型涂料", (_M.VOCS,)),
            Measure("硅烷化前处理替代磷化", (_M.COD, _M.TOTAL_PHOSPHORUS)),
            Measure("喷涂废气蓄热式焚烧（RTO）改造", (_M.VOCS,)),
        ),
    ),
    ExampleIndustry(
        code="2631",  # 化学农药制造
        tags=(),
        trade="农药",
        products=("农药原药", "农药制剂"),
        pollutants=("COD", "总磷", "VOCs"),
        reduces=(_M.COD, _M.VOCS),
        no_low=(
            _CONDENSATE,
            Measure("反应釜尾气冷凝回收", (_M.VOCS,)),
        ),
        mid_high=(
            Measure("草甘膦母液资源化回收利用", (_M.COD, _M.TOTAL_PHOSPHORUS)),  # [十二五]
            Measure("原药及中间体清洁合成工艺改造", (_M.COD,)),  # [十二五]
            Measure("有机溶剂回收装置改造", (_M.VOCS,)),
            _BOILER,
        ),
    ),
    ExampleIndustry(
        code="1340",  # 制糖业
        tags=(),
        trade="糖业",
        products=("白砂糖",),
        pollutants=("COD", "总磷"),
        reduces=(_M.COD,),
        no_low=(
            _CONDENSATE,
            Measure("洗蔗水循环利用", (_M.COD,)),
            Measure("加强滤泥糖分回收", (_M.COD,)),
        ),
        mid_high=(
            Measure("糖厂废水循环利用与深化处理", (_M.COD, _M.TOTAL_PHOSPHORUS)),  # [十二五]
            Measure("蒸发罐多效蒸发节能改造", _COAL_CO2),
            Measure("糖蜜酒精废液资源化利用", (_M.COD, _M.TOTAL_PHOSPHORUS)),
        ),
    ),
    ExampleIndustry(
        code="2521",  # 炼焦
        tags=(),
        trade="焦化",
        products=("冶金焦", "焦炉煤气", "煤焦油"),
        pollutants=("SO₂", "NOₓ", "粉尘", "COD", "氨氮"),
        reduces=(_M.SO2, _M.NOX, _M.DUST),
        no_low=(
            Measure("加强焦炉炉门炉盖密封", (_M.DUST,)),
            Measure("优化焦炉加热制度", (_M.NOX, _M.COAL, _M.CO2)),
            Measure("备煤系统喷雾抑尘", (_M.DUST,)),
        ),
        mid_high=(
            Measure("干熄焦改造", (_M.DUST, _M.COAL, _M.CO2)),  # [山西]
            Measure("焦炉煤气脱硫脱氰改造", (_M.SO2,)),  # [山西]
            Measure("焦炉烟气脱硫脱硝一体化改造", (_M.SO2, _M.NOX)),
            Measure("焦化废水深度处理回用", (_M.COD, _M.AMMONIA_NITROGEN)),  # [山西]
            Measure("上升管荒煤气余热回收", (_M.COAL, _M.CO2)),
        ),
    ),
    ExampleIndustry(
        code="3041",  # 平板玻璃制造
        tags=(),
        trade="玻璃",
        products=("浮法玻璃",),
        pollutants=("SO₂", "NOₓ", "粉尘"),
        reduces=(_M.NOX, _M.SO2, _M.DUST),
        no_low=(
            Measure("优化熔窑燃烧空气系数", (_M.NOX, _M.CO2)),
            Measure("配料车间密闭收尘", (_M.DUST,)),
            Measure("加强熔窑保温", (_M.SO2, _M.CO2)),
        ),
        mid_high=(
            Measure("玻璃熔窑烟气脱硫脱硝除尘改造", (_M.SO2, _M.NOX, _M.DUST)),
            Measure("玻璃熔窑余热发电", (_M.CO2,)),
            Measure("全氧燃烧技术改造", (_M.NOX, _M.CO2)),
        ),
    ),
    ExampleIndustry(
        code="4411",  # 火力发电: a coal-fired combined heat and power plant
        tags=(),
        trade="热电",
        products=("电力", "蒸汽"),
        pollutants=("SO₂", "NOₓ", "烟尘"),
        reduces=(_M.SO2, _M.NOX, _M.SMOKE_DUST),
        no_low=(
            Measure("优化锅炉燃烧调整", (_M.NOX, _M.COAL, _M.CO2)),
            Measure("加强脱硫系统运行管理", (_M.SO2,)),
            Measure("煤场封闭抑尘", (_M.SMOKE_DUST,)),
        ),
        mid_high=(
            Measure("燃煤机组超低排放改造", (_M.SO2, _M.NOX, _M.SMOKE_DUST)),
            Measure("SCR烟气脱硝改造", (_M.NOX,)),
            Measure("汽轮机通流部分节能改造", (_M.COAL, _M.CO2)),
            Measure("湿法脱硫增效改造", (_M.SO2,)),
        ),
    ),
)

#: Each industry's yearly output (万元, the range an above-scale enterprise's is drawn from) and its energy
#: intensity (tce per 万元 of output; the order of magnitude of the 统计年鉴's 分行业能源消费 over output: cement,
#: coke, power and PVC several tce, steel and chemicals about one, light industry and electronics a tenth).
SCALE: dict[str, tuple[tuple[int, int], float]] = {
    "3011": ((15_000, 120_000), 2.5),
    "2621": ((5_000, 80_000), 2.0),
    "2221": ((5_000, 60_000), 0.8),
    "3212": ((20_000, 200_000), 1.0),
    "3360": ((500, 8_000), 0.3),
    "2613": ((10_000, 60_000), 1.5),
    "2651": ((20_000, 150_000), 3.0),
    "1713": ((2_000, 30_000), 0.6),
    "2710": ((3_000, 60_000), 0.3),
    "3120": ((50_000, 500_000), 1.2),
    "3841": ((5_000, 100_000), 0.08),
    "3871": ((1_000, 20_000), 0.1),
    "3140": ((5_000, 50_000), 1.5),
    "1512": ((2_000, 80_000), 0.15),
    "3982": ((3_000, 80_000), 0.1),
    "3670": ((2_000, 60_000), 0.06),
    "2631": ((3_000, 50_000), 0.5),
    "1340": ((3_000, 40_000), 0.6),
    "2521": ((30_000, 300_000), 1.0),
    "3041": ((10_000, 80_000), 1.5),
    "4411": ((10_000, 150_000), 4.0),
}

#: What a mid/high-cost measure costs (万元), by words in its name, first match; others cost 50-1,500 万元.
_INVESTMENT: tuple[tuple[str, tuple[int, int]], ...] = (
    ("电机变频", (50, 300)),
    ("空压机", (50, 300)),
    ("干熄焦", (3_000, 12_000)),
    ("余热发电", (500, 5_000)),
    ("余压余热发电", (500, 5_000)),
    ("超低排放", (1_000, 8_000)),
    ("脱硫", (300, 3_000)),
    ("脱硝", (300, 3_000)),
    ("低氮燃烧", (200, 1_500)),
    ("协同处置", (1_000, 8_000)),
    ("全氧燃烧", (1_000, 6_000)),
    ("通流", (500, 4_000)),
    ("液态高铅渣", (2_000, 12_000)),
    ("无钙焙烧", (1_000, 8_000)),
    ("亚熔盐", (1_000, 8_000)),
    ("流化塔", (1_000, 6_000)),
    ("除尘", (100, 1_500)),
    ("废水", (100, 2_000)),
    ("回用", (100, 2_000)),
    ("RTO", (200, 1_500)),
    ("替代燃煤锅炉", (100, 1_200)),
)
_DEFAULT_INVESTMENT = (50, 1_500)


def investment_range(measure: Measure) -> tuple[int, int]:
    """What ``measure`` costs as a mid/high-cost proposal, 万元 (low, high)."""
    return next((span for words, span in _INVESTMENT if words in measure.name), _DEFAULT_INVESTMENT)


#: Resources a measure saves: electricity (kWh), coal (t of raw coal), heat (tce, recorded as 节能) or water (t).
ELECTRICITY, COAL, HEAT, WATER = "electricity", "coal", "heat", "water"


def saves(measure: Measure) -> str | None:
    """What ``measure`` mainly saves: coal where it cuts coal, electricity where it cuts CO₂ otherwise (it saves
    power, or makes it: 余热发电), heat for heat recovery, water for reuse; None for an end-of-pipe measure."""
    if Metric.COAL in measure.cuts:
        return COAL
    if Metric.CO2 in measure.cuts:
        return ELECTRICITY
    if any(word in measure.name for word in ("余热", "冷凝水", "热装", "蒸发", "保温")):
        return HEAT
    if any(word in measure.name for word in ("水", "漂洗", "回用", "循环", "跑冒滴漏")):
        return WATER
    return None
