"""Words of the resident's pages: key -> (zh, en), merged into the catalogue.

Counts are written as "label: n" in English so one string serves one and many."""

PAGE_MESSAGES: dict[str, tuple[str, str]] = {
    # frame of every page
    "page.site_name": ("好差评", "Haocha"),
    "page.skip_to_content": ("跳到正文", "Skip to content"),
    "page.nav.label": ("网站功能", "Site tools"),
    "page.nav.my_reviews": ("我的评价", "My reviews"),
    "page.elder.on": ("大字版", "Large text"),
    "page.elder.off": ("标准版", "Standard text"),
    "page.search.label": ("搜索机构名称或地址", "Search provider name or address"),
    "page.search.placeholder": ("机构名称或地址", "Name or address"),
    "page.search.button": ("搜索", "Search"),
    "page.demo.label": ("演示数据说明", "About the demo data"),
    "page.demo.title": ("演示数据：", "Demo data: "),
    "page.demo.text": (
        "机构名称、地址和信用代码均为程序生成，并非真实机构；评价文字是真实的，来自公开语料。",
        "provider names, addresses and credit codes are generated, not real businesses; "
        "the review texts are real, taken from public corpora.",
    ),
    "page.demo.tag": ("演示", "Demo"),
    "page.footer.about": (
        "好差评：上海、南通社区生活服务质量评价平台。",
        "Haocha: service-quality reviews of community life services in Shanghai and Nantong.",
    ),
    "page.footer.privacy": (
        "我们不公开、不明文保存您的手机号；评价以匿名方式展示。",
        "Your phone number is never shown or stored in plain form; reviews are shown "
        "without your name.",
    ),
    "page.back_home": ("返回首页", "Back to the home page"),
    "page.yes": ("是", "Yes"),
    "page.no": ("否", "No"),
    # errors
    "page.error.heading": ("出错了", "Something is not right"),
    "page.error.status": ("错误代码 {status}", "Error code {status}"),
    "page.form.error_prefix": ("有错误：", "Error: "),
    "page.form.errors_title": ("请修改以下内容后再提交", "Please correct the following"),
    "page.form.required": ("（必选）", "(required)"),
    # home
    "page.home.title": ("首页", "Home"),
    "page.home.heading": ("社区生活服务好差评", "Rate your community services"),
    "page.home.intro": (
        "养老、托育、家政、健身、餐饮……用过的服务好不好，说一句，帮邻居少走弯路。",
        "Elderly care, childcare, housekeeping, fitness, catering and more: say how a "
        "service was, and help your neighbours choose.",
    ),
    "page.home.sectors": ("按行业查找", "Browse by sector"),
    "page.home.how": ("怎么评价", "How to review"),
    "page.home.step1": ("搜索或按行业找到服务机构。", "Find the provider by search or sector."),
    "page.home.step2": ("用手机号和短信验证码登录。", "Log in with your phone and a text code."),
    "page.home.step3": ("选一个等级，写几句话，提交。", "Pick a level, write a few words, send."),
    "page.home.levels": (
        "五个等级：非常满意、满意、基本满意、不满意、非常不满意。满意以上算好评，不满意以下算差评，"
        "差评会转给机构限期答复。",
        "Five levels, from very satisfied to very dissatisfied. The top two count as good, "
        "the bottom two as bad; a bad review must be answered by the provider in time.",
    ),
    # lists, search, filters
    "page.search.title": ("搜索结果", "Search results"),
    "page.search.none": ("没有找到符合条件的机构。", "No provider matches."),
    "page.filter.district": ("区县", "District"),
    "page.filter.all_districts": ("全部区县", "All districts"),
    "page.filter.apply": ("筛选", "Filter"),
    "page.provider_count": ("共 {count} 家机构", "Providers: {count}"),
    "page.sector.regulator": ("主管部门：", "Regulator: "),
    "page.sector.prepaid_risk": (
        "该行业常见预付卡（会员卡、储值卡、课程包）纠纷，办卡前请看清评价。",
        "Prepaid-card disputes (memberships, stored value, course packages) are common in "
        "this sector; read the reviews before you pay ahead.",
    ),
    "page.sector.none": ("该行业暂时没有机构。", "No providers in this sector yet."),
    "page.sector.ranked_count": ("{count} 家机构参与排名", "Ranked providers: {count}"),
    "page.sector.as_of": ("评分日期 {date}", "Scores as of {date}"),
    "page.sector.no_ranked": (
        "还没有机构达到排名所需的 {min} 条评价。",
        "No provider has the {min} counted reviews a rank needs yet.",
    ),
    "page.sector.unranked_note": (
        "评价不足 {min} 条的机构暂不排名，共 {count} 家。",
        "Providers with fewer than {min} counted reviews are not ranked. Not ranked: {count}.",
    ),
    "page.sector.overall": ("{sector}整体评价", "{sector} as a whole"),
    "page.sector.mean_level": ("平均等级", "Mean level"),
    "page.sector.spread": ("本行业评价等级分布", "Levels of all reviews in this sector"),
    "page.sector.unranked_link": ("查看暂不排名的机构", "See the providers not ranked yet"),
    "page.sector.unranked_title": ("暂不排名的机构", "Not ranked yet"),
    "page.sector.unranked_heading": ("{sector}：暂不排名的机构", "{sector}: not ranked yet"),
    "page.sector.unranked_intro": (
        "这些机构的评价还不足 {min} 条，得分主要反映行业平均水平，所以暂不排名。",
        "These providers have fewer than {min} counted reviews: their scores still mostly "
        "reflect the sector's average, so they are not ranked yet.",
    ),
    "page.sector.unranked_count": ("共 {count} 家机构暂不排名", "Not ranked: {count}"),
    "page.sector.no_unranked": (
        "没有暂不排名的机构。",
        "There are no providers waiting for more reviews.",
    ),
    "page.sector.back_to_ranking": ("返回排名", "Back to the ranking"),
    "page.sector.none_in_district": (
        "这个区县暂时没有该行业的机构。",
        "No providers of this sector in this district yet.",
    ),
    "page.good_rate": ("好评率", "Good reviews"),
    "page.bad_rate": ("差评率", "Bad reviews"),
    "page.review_count": ("{count} 条评价", "Reviews: {count}"),
    "page.no_reviews_yet": ("暂无评价", "No reviews yet"),
    # scores and ranks
    "page.score.label": ("得分", "Score"),
    "page.score.interval": ("95% 可信区间 {low}–{high}", "95% credible interval {low}–{high}"),
    "page.score.interval_short": ("区间 {low}–{high}", "range {low}–{high}"),
    "page.score.how": ("得分怎么算？", "How is the score worked out?"),
    "page.score.explain": (
        "得分在 1 到 5 分之间。每家机构先按本行业的平均水平记 {prior} 条评价，真实评价越多，"
        "得分越取决于机构自己的评价；近期评价比多年前的评价分量重，到店扫码的评价算两条，"
        "同一天的多条评价合起来最多算一条。区间是得分可能的范围：评价越少，区间越宽。"
        "评价满 {min} 条才参与排名。",
        "Scores run from 1 to 5. Every provider starts with {prior} reviews' worth of its "
        "sector's average; the more real reviews it gets, the more its score is its own. "
        "Recent reviews weigh more than reviews from years ago, a review made through the "
        "provider's QR code counts twice, and all reviews of one day together count as one "
        "at most. The range is where the score may really lie: the fewer the reviews, the "
        "wider it is. A provider is ranked from {min} counted reviews.",
    ),
    "page.rank.badge": ("第 {rank} 名", "No. {rank}"),
    "page.provider.rank": (
        "{sector}第 {rank} 名（共 {total} 家）",
        "No. {rank} of {total} in {sector}",
    ),
    "page.provider.not_ranked": (
        "评价不足 {min} 条，暂不排名",
        "Fewer than {min} counted reviews: not ranked yet",
    ),
    # the monthly trend chart and its table
    "page.trend.heading": ("近 {months} 个月的评价", "The last {months} months"),
    "page.trend.title": (
        "近 {months} 个月每月的平均等级和评价条数",
        "Mean level and number of reviews per month, last {months} months",
    ),
    "page.trend.desc": (
        "{first} 至 {last}。上方折线是每月的平均等级（1 到 5），下方柱形是每月的评价条数；"
        "没有评价的月份没有圆点。各月数字见图下的表格。",
        "{first} to {last}. The line above is each month's mean level (1 to 5), the bars "
        "below the number of reviews; months without reviews have no dot. The numbers are "
        "in the table under the chart.",
    ),
    "page.trend.legend_mean": ("折线：平均等级（1–5）", "Line: mean level (1–5)"),
    "page.trend.legend_count": ("柱形：评价条数", "Bars: number of reviews"),
    "page.trend.table": ("查看每月数字", "Show the numbers per month"),
    "page.trend.table_caption": ("每月评价", "Reviews per month"),
    "page.trend.month": ("月份", "Month"),
    "page.trend.count": ("评价条数", "Reviews"),
    "page.trend.mean": ("平均等级", "Mean level"),
    "page.trend.no_mean": ("无", "none"),
    "page.trend.none": (
        "近 {months} 个月没有新的评价。",
        "No reviews in the last {months} months.",
    ),
    "page.pager.label": ("翻页", "Pages"),
    "page.pager.prev": ("上一页", "Previous"),
    "page.pager.next": ("下一页", "Next"),
    "page.pager.position": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
    # provider page
    "page.provider.posted": (
        "感谢您的评价，已提交成功。",
        "Thank you: your review has been received.",
    ),
    "page.provider.score": ("服务评价", "Ratings"),
    "page.provider.spread": ("评价分布", "Spread of ratings"),
    "page.provider.spread_level": ("等级", "Level"),
    "page.provider.spread_bar": ("占比图示", "Share, as a bar"),
    "page.provider.spread_count": ("条数（占比）", "Count (share)"),
    "page.provider.no_reviews": (
        "还没有人评价，欢迎成为第一个。",
        "No reviews yet: be the first to write one.",
    ),
    "page.provider.write_review": ("写评价", "Write a review"),
    "page.provider.facts": ("机构信息", "About this provider"),
    "page.provider.address": ("地址", "Address"),
    "page.provider.status": ("经营状态", "Status"),
    "page.provider.status.active": ("正常营业", "Open"),
    "page.provider.status.suspended": ("暂停营业", "Suspended"),
    "page.provider.status.closed": ("已停业", "Closed"),
    "page.provider.status_note.suspended": (
        "该机构已被责令暂停营业，暂不能评价。",
        "This provider has been ordered to suspend trading and cannot be reviewed now.",
    ),
    "page.provider.status_note.closed": (
        "该机构已停业，不能再评价。",
        "This provider has closed and can no longer be reviewed.",
    ),
    "page.provider.prepaid": ("发售预付卡", "Sells prepaid cards"),
    "page.provider.prepaid_note": (
        "该机构发售预付卡。办卡前请确认合同和退款条款，单次预付不宜过多。",
        "This provider sells prepaid cards. Check the contract and refund terms before "
        "paying ahead, and keep prepayments small.",
    ),
    "page.provider.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "page.provider.recent": ("最新评价", "Recent reviews"),
    # reviews
    "page.review.title": ("评价 {name}", "Review {name}"),
    "page.review.heading": ("写评价", "Write a review"),
    "page.review.level": ("总体评价", "Overall rating"),
    "page.review.text": ("评价内容（可选）", "Your review (optional)"),
    "page.review.text_hint": (
        "说说服务怎么样，最多 {max} 字。请不要写手机号、住址等个人信息。",
        "Say how the service was, up to {max} characters. Please leave out phone numbers, "
        "addresses and other personal details.",
    ),
    "page.review.prepaid": ("预付卡", "Prepaid card"),
    "page.review.prepaid_box": (
        "这次消费涉及预付卡（会员卡、储值卡、课程包）",
        "This involved a prepaid card (membership, stored value, course package)",
    ),
    "page.review.prepaid_amount": ("预付金额（元，可选）", "Amount prepaid, yuan (optional)"),
    "page.review.dimensions": ("分项评分（可选）", "Details (optional)"),
    "page.review.not_rated": ("不评分", "Not rated"),
    "page.review.service_date": ("服务日期（可选）", "Date of the service (optional)"),
    "page.review.public_note": (
        "评价会公开展示，但不会显示您的手机号。",
        "Your review will be public; your phone number will not.",
    ),
    "page.review.level_check.title": ("请确认您的评分", "Please check your rating"),
    "page.review.level_check.negative_text": (
        "您选择了「{level}」，但评价文字读起来是不满意的。评分是否选对了？",
        "You chose “{level}”, but your text reads as a complaint. Is that the rating you meant?",
    ),
    "page.review.level_check.positive_text": (
        "您选择了「{level}」，但评价文字读起来是满意的。评分是否选对了？",
        "You chose “{level}”, but your text reads as praise. Is that the rating you meant?",
    ),
    "page.review.level_check.hint": (
        "如需修改，请在上方重新选择评分后点「修改后提交」；评分无误请点「评分无误，提交」。",
        "To change it, pick another rating above and press “Submit changes”; "
        "if it is right, press “The rating is right, submit”.",
    ),
    "page.review.level_check.confirm": ("评分无误，提交", "The rating is right, submit"),
    "page.review.level_check.resubmit": ("修改后提交", "Submit changes"),
    "page.review.submit": ("提交评价", "Send review"),
    "page.review.already_sent": (
        "这份评价已经提交过了，无需再次提交。",
        "This review has already been sent; there is no need to send it again.",
    ),
    "page.review.verified": ("到店扫码", "Verified visit"),
    "page.review.prepaid_tag": ("涉及预付卡", "Prepaid card"),
    "page.review.status.published": ("已发布", "Published"),
    "page.review.status.held": ("审核中", "Under review"),
    "page.review.status.removed": ("已被移除", "Removed"),
    "page.dimension.attitude": ("服务态度", "Attitude"),
    "page.dimension.quality": ("服务质量", "Quality"),
    "page.dimension.price": ("价格透明", "Price transparency"),
    "page.dimension.environment": ("环境安全", "Environment and safety"),
    # login
    "page.login.title": ("登录", "Log in"),
    "page.login.intro": (
        "用手机号登录，就能写评价、查看自己的评价。",
        "Log in with your mobile number to write and follow your reviews.",
    ),
    "page.login.phone": ("手机号", "Mobile number"),
    "page.login.send_code": ("获取验证码", "Send me a code"),
    "page.login.privacy": (
        "手机号只用于登录和差评回访，不会公开，也不会明文保存。",
        "Your number is used only to log in and to follow up bad reviews; it is never shown "
        "or stored in plain form.",
    ),
    "page.login.code_title": ("输入验证码", "Enter the code"),
    "page.login.code_sent": (
        "验证码已发送到 {phone}，{minutes} 分钟内有效。",
        "We sent a code to {phone}; it works for {minutes} minutes.",
    ),
    "page.login.outbox_hint": (
        "演示环境不会真的发短信：验证码记录在服务器的短信发件箱文件（var/sms-outbox.jsonl）中。",
        "This demo sends no real text messages: the code is written to the server's SMS "
        "outbox file (var/sms-outbox.jsonl).",
    ),
    "page.login.code": ("验证码（6 位数字）", "Code (6 digits)"),
    "page.login.submit": ("登录", "Log in"),
    "page.login.resend": ("没收到？重新获取验证码", "No code? Send a new one"),
    "page.logout": ("退出登录", "Log out"),
    # my reviews
    "page.my.title": ("我的评价", "My reviews"),
    "page.my.count": ("共 {count} 条", "Reviews: {count}"),
    "page.my.none": ("您还没有写过评价。", "You have not written a review yet."),
    "page.my.find": ("去找一家机构", "Find a provider"),
}
