"""Words of the open-data docs page (/open/) and its API errors: key -> (zh, en), merged
into the catalogue. Field meanings come from `haocha.opendata.schema`, not from here."""

OPEN_MESSAGES: dict[str, tuple[str, str]] = {
    "error.open_cursor": (
        "分页游标无效，请使用上一页返回的 next_cursor。",
        "The cursor is not valid; pass the next_cursor of the previous page.",
    ),
    "open.title": ("开放数据", "Open data"),
    "open.lead": (
        "好差评平台按行业、区县和月份公开服务质量汇总数据，供研究、媒体、地图应用和其他城市的"
        "平台使用。数据以 CC BY 4.0 许可发布：使用时请注明“好差评平台”。",
        "Haocha publishes aggregate service-quality data by provider, sector, district and "
        "month for researchers, journalists, map apps and other cities' platforms. The data "
        "is licensed CC BY 4.0: credit “Haocha” when you use it.",
    ),
    "open.resources": ("数据集", "Datasets"),
    "open.resource": ("数据集", "Dataset"),
    "open.formats": ("下载", "Download"),
    "open.package": (
        "数据包（Frictionless Data Package，含每个数据集的表结构）：",
        "Data package (Frictionless Data Package, with a Table Schema for each dataset): ",
    ),
    "open.license": ("许可：", "Licence: "),
    "open.catalog": ("DCAT 目录（JSON-LD）：", "DCAT catalogue (JSON-LD): "),
    "open.fields": ("字段说明", "Fields"),
    "open.field": ("字段", "Field"),
    "open.type": ("类型", "Type"),
    "open.meaning": ("含义", "Meaning"),
    "open.privacy": ("隐私规则", "Privacy rules"),
    "open.privacy.none": (
        "开放数据不含任何个人信息：没有评价文字、居民编号、手机号或其哈希、网络地址或其哈希。"
        "只发布计数、比率和评分。",
        "The open data holds no personal data: no review text, resident id, phone number or "
        "its hash, network address or its hash. Only counts, rates and scores are published.",
    ),
    "open.privacy.k": (
        "计入评分的评价少于 k = {k} 条的机构不发布评分及其区间（计数仍发布，与机构公开页面一致）。",
        "A provider with fewer than k = {k} counted reviews carries no score or interval "
        "(its counts are still published, as on its public page).",
    ),
    "open.privacy.cells": (
        "行业×区县×月份表中，评价少于 k 条的单元格被隐去：suppressed 为 true，所有数值为空。",
        "In the sector × district × month table a cell with fewer than k reviews is "
        "suppressed: suppressed is true and every number in it is empty.",
    ),
    "open.privacy.complement": (
        "由于“机构评分”数据集公布了每个机构的各等级计数，把同一行业、同一区县的机构相加即可得到"
        "该行业×区县所有月份的合计。为防止用合计减去已公布月份而还原出被隐去的单元格，同一行业×"
        "区县内被隐去的月份要么没有，要么至少两个，且合计至少 k 条（补充隐去）。筛选不会改变哪些"
        "单元格被隐去。",
        "Because the providers dataset publishes each provider's counts per level, adding up "
        "the providers of one sector and district gives that sector × district's total over "
        "all months. So that a hidden month cannot be recovered by subtracting the published "
        "months from that total, each sector × district hides either no month or at least "
        "two, holding at least k reviews together (complementary suppression). Filters never "
        "change which cells are hidden.",
    ),
    "open.definitions": ("口径", "Definitions"),
    "open.def.counted": (
        "计入评价：已发布、未被暂扣或经监管部门删除的评价，与评分口径一致。",
        "Counted reviews: published reviews that are neither held nor removed by a "
        "regulator, the same as in the scores.",
    ),
    "open.def.prepaid": (
        "预付卡投诉：评价人声明涉及预付卡（会员卡、储值卡、课程包）且评价为差评（1–2 分）的评价。"
        "按评价时间（北京时间）归入月份。",
        "Prepaid-card complaints: reviews whose author stated that a prepaid card "
        "(membership, stored value, course package) is involved and that are 差评 (level "
        "1–2). Months are China time, by when the review was posted.",
    ),
    "open.def.answer_rate": (
        "差评按期答复率（bad_review_answer_rate）：差评（1–2 分）发布后，机构须在规定的工作日内"
        "（默认 3 个，节假日不计、调休上班日计入）答复。该比率 = 按期答复的差评 ÷（已答复的差评 + "
        "已过期限仍未答复的差评），只计已发布的、差评闭环上线后发布的差评；仍在答复期内的差评不计入。"
        "没有这样的差评，或机构计入评价少于 k 条时为空（与评分一致）。",
        "Bad-review on-time answer rate (bad_review_answer_rate): after a bad review (level "
        "1–2) the provider must answer within a number of working days (3 by default; public "
        "holidays excluded, official make-up working days included). The rate = bad reviews "
        "answered by their deadline ÷ (answered bad reviews + bad reviews unanswered past "
        "their deadline), over published bad reviews posted since the loop went live; those "
        "still within their answer period are not counted. Empty when there are none, or "
        "when the provider has fewer than k counted reviews (as the score).",
    ),
    "open.def.updated": (
        "updated_at：机构信息、新计入的评价或处罚（发布、撤销）最近变化的时间。以下变化不会更新它："
        "评分随时间衰减的每日重算（见 score_as_of）、评价被移出计数、处罚到期。做增量同步时请配合"
        "updated_since，并定期全量下载。",
        "updated_at: the last change of the provider's record, a newly counted review, or a "
        "sanction published or lifted. It does not move when scores drift daily as reviews "
        "age (see score_as_of), when a review leaves the counts, or when a sanction reaches "
        "its end date: sync with updated_since, and download everything now and then.",
    ),
    "open.privacy.limit": (
        "无法保护的情形：某行业×区县所有月份合计少于 k 条时，其合计仍可由机构数据集相加得到"
        "（与机构公开页面一致），但各月份的分布保持隐去。",
        "What suppression cannot protect: when a sector × district has fewer than k reviews "
        "over all months, its total can still be added up from the providers dataset (as on "
        "the providers' public pages); how they split across months stays hidden.",
    ),
    "open.access": ("访问方式", "How to fetch"),
    "open.access.json": (
        "JSON 分页：每页最多 limit 条（默认 100，最多 1000），按编号排序；把返回的 next_cursor "
        "作为 cursor 参数取下一页，为空即结束。新评价不会改变编号，所以翻页时不会漏行或重复。",
        "JSON pages: up to limit rows (default 100, at most 1000), ordered by id; pass the "
        "returned next_cursor as cursor for the next page, until it is null. New reviews "
        "never change an id, so paging neither skips nor repeats rows.",
    ),
    "open.access.filters": (
        "筛选参数：sector、district、month_from / month_to（YYYY-MM；行业区县月份表按月份，"
        "处罚表按生效日期）、updated_since（ISO 8601，未写时区按 UTC）。",
        "Filters: sector, district, month_from / month_to (YYYY-MM; months of the sector "
        "× district × month table, start dates of sanctions), updated_since (ISO 8601; "
        "without a zone, UTC).",
    ),
    "open.access.bulk": (
        "CSV 与 NDJSON 返回全部符合条件的行，以流式传输；支持 gzip、ETag 与 Last-Modified "
        "（条件请求返回 304）。",
        "CSV and NDJSON return every matching row, streamed; gzip, ETag and Last-Modified "
        "are supported (a conditional request gets 304).",
    ),
    "open.excel": (
        "在 Excel 中打开：CSV 为 UTF-8 编码。在链接后加 ?bom=1 可下载带 BOM 的文件，Excel "
        "双击即可正确显示中文；或在 Excel 中选择“数据 → 自文本/CSV”，文件原始格式选 "
        "65001: Unicode (UTF-8)。",
        "Opening in Excel: the CSV is UTF-8. Add ?bom=1 to the link for a file with a "
        "byte-order mark, which Excel opens with Chinese intact; or use Data → From "
        "Text/CSV and choose file origin 65001: Unicode (UTF-8).",
    ),
    "open.examples": ("示例", "Examples"),
    "open.example.conditional": (
        "带上次响应的 ETag 再请求：数据未变时返回 304，不传输内容",
        "send the ETag of the last response: 304 and no body while the data is unchanged",
    ),
    "open.snapshots": ("快照", "Snapshots"),
    "open.snapshots.text": (
        "每日快照：每天凌晨把三个 CSV 文件按日期存档，存档后不再改变，便于复现分析。"
        "列表见 /open/v1/snapshots.json，文件地址形如 /open/v1/snapshots/YYYY-MM-DD/providers.csv。"
        "快照是当天任务运行时开放数据的原样副本，不是对过去某日的重新计算。",
        "Daily snapshots: every night the three CSV files are archived under their date and "
        "never changed afterwards, so an analysis can be reproduced. The list is at "
        "/open/v1/snapshots.json; files are at /open/v1/snapshots/YYYY-MM-DD/providers.csv. "
        "A snapshot is a copy of the feed as it stood when that day's job ran, not a "
        "recomputation of a past day.",
    ),
}
