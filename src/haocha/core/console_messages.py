"""Words of the regulators' console pages: key -> (zh, en), merged into the catalogue."""

CONSOLE_MESSAGES: dict[str, tuple[str, str]] = {
    "console.login.title": ("监管后台登录", "Regulators' console login"),
    "console.login.intro": (
        "供行业主管部门工作人员使用。账号由管理员开设。",
        "For staff of the sector regulators. Accounts are opened by an administrator.",
    ),
    "console.login.username": ("用户名", "User name"),
    "console.login.password": ("密码", "Password"),
    "console.login.totp": (
        "动态验证码（已开启两步验证时填写）",
        "One-time code (if two-step login is on)",
    ),
    "console.login.totp_hint": (
        "打开身份验证器应用，输入显示的 6 位数字。",
        "Open your authenticator app and enter the 6 digits it shows.",
    ),
    "console.login.submit": ("登录", "Log in"),
    "console.login.notice": (
        "连续输错 5 次将锁定账号 15 分钟。所有登录和操作都会记入审计日志。",
        "Five wrong tries in a row lock the account for 15 minutes. Every login and action "
        "is written to the audit log.",
    ),
    "console.logout": ("退出登录", "Log out"),
}

CONSOLE_MESSAGES.update(
    {
        # frame
        "console.name": ("监管后台", "Regulators' console"),
        "console.nav.label": ("监管后台导航", "Console"),
        "console.nav.dashboard": ("工作台", "Dashboard"),
        "console.nav.queue": ("线索队列", "Queue"),
        "console.nav.cases": ("案件", "Cases"),
        "console.nav.audit": ("审计日志", "Audit log"),
        "console.role.inspector": ("检查员", "Inspector"),
        "console.role.supervisor": ("负责人", "Supervisor"),
        "console.role.admin": ("管理员", "Administrator"),
        "console.error.title": ("未能完成操作", "That could not be done"),
        "console.error.date": (
            "请填写有效日期（年-月-日）。",
            "Please give a valid date (year-month-day).",
        ),
        "console.error.choice": (
            "请从列表中选择。",
            "Please choose one of the options.",
        ),
        "console.done.confirmed": ("已确认该线索。", "The flag is confirmed."),
        "console.done.dismissed": ("已驳回该线索。", "The flag is dismissed."),
        "console.done.case_opened": ("已立案。", "The case is open."),
        "console.done.note_added": ("备注已添加。", "The note is added."),
        "console.done.status_changed": ("案件状态已更新。", "The case's status is changed."),
        "console.done.assigned": ("承办人已更新。", "The assignee is changed."),
        "console.done.warning_published": (
            "消费提示已发布，机构公开页面即时显示。",
            "The consumer warning is published and shows on the provider's public page.",
        ),
        "console.done.blacklist_published": (
            "已列入黑名单，机构公开页面即时显示。",
            "The blacklist entry is published and shows on the provider's public page.",
        ),
        "console.done.lifted": ("已撤销。", "It is lifted."),
        # filters and columns
        "console.filter.kind": ("线索类型", "Kind"),
        "console.filter.all_kinds": ("全部类型", "All kinds"),
        "console.filter.sector": ("行业", "Sector"),
        "console.filter.all_sectors": ("全部行业", "All sectors"),
        "console.filter.district": ("区县", "District"),
        "console.filter.all_districts": ("全部区县", "All districts"),
        "console.filter.max_age": ("提出时间", "Raised"),
        "console.filter.any_age": ("不限", "Any time"),
        "console.filter.days": ("{days} 天内", "Within {days} days"),
        "console.filter.all_statuses": ("全部状态", "All statuses"),
        "console.filter.overdue_only": ("只看已逾期", "Overdue only"),
        "console.filter.mine": ("只看我承办的", "Assigned to me"),
        "console.filter.apply": ("筛选", "Filter"),
        "console.col.kind": ("类型", "Kind"),
        "console.col.flag": ("线索", "Flag"),
        "console.col.risk": ("风险", "Risk"),
        "console.col.provider": ("机构", "Provider"),
        "console.col.place": ("行业 · 区县", "Sector · district"),
        "console.col.sector": ("行业", "Sector"),
        "console.col.district": ("区县", "District"),
        "console.col.created": ("提出日期", "Raised on"),
        "console.col.reasons": ("原因", "Reasons"),
        "console.col.open_flags": ("待处理线索", "Open flags"),
        "console.col.new_flags": ("新增线索", "New flags"),
        "console.col.week": ("周（起始日）", "Week starting"),
        "console.col.case": ("案件", "Case"),
        "console.col.status": ("状态", "Status"),
        "console.col.deadline": ("办理期限", "Deadline"),
        "console.col.assignee": ("承办人", "Assignee"),
        "console.col.seq": ("序号", "No."),
        "console.col.time": ("时间", "Time"),
        "console.col.actor": ("操作人", "By"),
        "console.col.action": ("操作", "Action"),
        "console.col.target": ("对象", "Object"),
        # dashboard
        "console.dash.title": ("工作台", "Dashboard"),
        "console.dash.totals": ("概况", "At a glance"),
        "console.dash.open_flags": ("待处理线索", "Open flags"),
        "console.dash.overdue": ("逾期案件", "Overdue cases"),
        "console.dash.by_kind": ("待处理线索（按类型）", "Open flags by kind"),
        "console.dash.by_sector": ("待处理线索（按行业）", "Open flags by sector"),
        "console.dash.by_district": ("待处理线索（按区县）", "Open flags by district"),
        "console.dash.none_open": ("没有待处理的线索。", "No open flags."),
        "console.dash.trend": ("近 {weeks} 周新增线索", "New flags, last {weeks} weeks"),
        "console.dash.trend_title": (
            "近 {weeks} 周每周新增线索数",
            "New flags per week, last {weeks} weeks",
        ),
        "console.dash.trend_desc": (
            "从 {first} 所在周到 {last} 所在周，每根柱形是一周内新增的线索数"
            "（无论之后是否已处理）。各周数字见图下的表格。",
            "From the week of {first} to the week of {last}; each bar is the number of flags "
            "raised that week, whatever became of them. The numbers are in the table below.",
        ),
        "console.dash.trend_table": ("查看每周数字", "Show the numbers per week"),
        "console.dash.at_risk": ("风险最高的机构", "Providers most at risk"),
        "console.dash.overdue_cases": ("逾期案件", "Overdue cases"),
        "console.dash.none_overdue": ("没有逾期案件。", "No overdue cases."),
        "console.dash.all_overdue": (
            "查看全部 {count} 件逾期案件",
            "See all overdue cases: {count}",
        ),
        # queue
        "console.queue.title": ("线索队列", "Queue"),
        "console.queue.intro": (
            "按风险从高到低排列，风险相同的先提出的在前。",
            "Highest risk first; at equal risk, the one waiting longest.",
        ),
        "console.queue.count": ("共 {count} 条待处理线索", "Open flags: {count}"),
        "console.queue.csv": ("导出 CSV", "Download as CSV"),
        "console.queue.list": ("线索列表", "Flags"),
        "console.queue.empty": ("没有符合条件的待处理线索。", "No open flag matches."),
        "console.queue.back": ("返回线索队列", "Back to the queue"),
        # one flag
        "console.flag.source": ("来源：{source}", "Source: {source}"),
        "console.flag.decided": ("处理结果", "Decision"),
        "console.flag.reasons": ("原因", "Reasons"),
        "console.flag.to_decisions": ("去处理", "Decide"),
        "console.source.ml": ("模型识别", "model"),
        "console.source.resident": ("居民举报", "residents' reports"),
        "console.source.deadline": ("差评答复期限", "answer deadline"),
        "console.source.system": ("系统", "system"),
        "console.flag.decide": ("处理", "Decide"),
        "console.flag.confirm": ("确认", "Confirm"),
        "console.flag.confirm_removes": (
            "确认后，该评价不再计入机构评分（评分即时重算）；作者只会看到“未计入评分”的中性提示。",
            "Once confirmed, the review leaves the provider's score (recomputed at once); its "
            "author sees only a neutral notice that it is not counted.",
        ),
        "console.flag.confirm_records": (
            "确认后记录为属实；如需处置，请立案或发布消费提示。",
            "Confirming records the finding; to act on it, open a case or publish a warning.",
        ),
        "console.flag.confirm_button": ("确认线索", "Confirm the flag"),
        "console.flag.dismiss": ("驳回", "Dismiss"),
        "console.flag.dismiss_hint": (
            "经核实无需处理；相关评价继续计入评分。",
            "Nothing to act on; any review concerned keeps counting.",
        ),
        "console.flag.dismiss_button": ("驳回线索", "Dismiss the flag"),
        "console.flag.open_case": ("立案调查", "Open a case"),
        "console.flag.open_case_button": ("立案", "Open the case"),
        "console.flag.reviews": ("相关评价", "Reviews concerned"),
        "console.flag.no_reviews": ("该线索不涉及具体评价。", "This flag names no review."),
        "console.flag.author_other": (
            "作者的其他评价：共 {total} 条，涉及 {providers} 家机构，"
            "本机构 {here} 条，已被移除 {removed} 条。",
            "The author's other reviews: {total}, of {providers} providers; of this one: "
            "{here}; removed: {removed}.",
        ),
        "console.flag.same_address": (
            "同一网络地址对本机构的其他评价：{reviews} 条，来自 {residents} 位居民。",
            "Other reviews of this provider from the same network address: {reviews}, by "
            "{residents} residents.",
        ),
        "console.flag.reports": (
            "居民举报（{reporters} 位居民）",
            "Residents' reports (residents: {reporters})",
        ),
        "console.flag.details": ("其他信息", "Other details"),
        "console.flag.timeline": (
            "该机构近 12 个月的评价",
            "The provider's reviews, last 12 months",
        ),
        "console.detail.due": ("答复期限", "Answer due"),
        "console.detail.working_days_overdue": ("逾期工作日", "Working days overdue"),
        "console.detail.review_ids": ("相关评价编号", "Reviews"),
        # forms
        "console.form.note": (
            "备注（可选，最多 1000 字）",
            "Note (optional, up to 1000 characters)",
        ),
        "console.form.case_title": ("案件标题", "Case title"),
        "console.form.assignee": ("承办人", "Assignee"),
        "console.form.nobody": ("暂不指定", "Nobody yet"),
        "console.form.working_days": ("办理期限（工作日）", "Time allowed (working days)"),
        "console.form.working_days_hint": (
            "不填则为 {days} 个工作日，按国家法定节假日和调休计算。",
            "Blank means {days} working days, counted with China's public holidays and "
            "make-up working days.",
        ),
        # cases
        "console.cases.title": ("案件", "Cases"),
        "console.cases.count": ("共 {count} 件", "Cases: {count}"),
        "console.cases.list": ("案件列表", "Cases"),
        "console.cases.empty": ("没有符合条件的案件。", "No case matches."),
        "console.cases.back": ("返回案件列表", "Back to the cases"),
        "console.case.escalated": ("已上报负责人", "Escalated"),
        "console.case.overdue": ("已逾期", "Overdue"),
        "console.case.opened_by": ("立案", "Opened by"),
        "console.case.change_status": ("变更状态", "Change the status"),
        "console.case.change_status_button": ("更新状态", "Change status"),
        "console.case.assign": ("指定承办人", "Assign"),
        "console.case.assign_button": ("更新承办人", "Change assignee"),
        "console.case.notes": ("办理记录", "Notes"),
        "console.case.no_notes": ("还没有记录。", "No notes yet."),
        "console.case.add_note": ("添加记录", "Add a note"),
        "console.case.add_note_button": ("保存记录", "Save the note"),
        # one provider and its sanctions
        "console.provider.public_page": ("查看公开页面", "Public page"),
        "console.provider.open_flags": ("待处理线索", "Open flags"),
        "console.risk.heading": ("跑路风险预警", "Flight-risk warning"),
        "console.risk.score": ("风险指数 {score} / 100", "Risk {score} / 100"),
        "console.risk.none": ("尚未评估。", "Not assessed yet."),
        "console.risk.computed": ("评估于 {at}", "Assessed {at}"),
        "console.risk.private": (
            "仅监管人员可见，不在公开页面显示。",
            "Visible to regulators only; never shown on public pages.",
        ),
        "console.risk.points": ("{points} 分", "{points} points"),
        "console.provider.no_open_flags": ("没有待处理线索。", "No open flags."),
        "console.provider.cases": ("案件", "Cases"),
        "console.provider.no_cases": ("没有案件。", "No cases."),
        "console.provider.sanctions": (
            "消费提示和黑名单",
            "Consumer warnings and blacklist entries",
        ),
        "console.provider.no_sanctions": ("没有发布过。", "None published."),
        "console.sanction.in_force": ("公示中", "In force"),
        "console.sanction.lifted": ("已撤销", "Lifted"),
        "console.sanction.not_in_force": ("未在公示期", "Not in force"),
        "console.sanction.dates": ("{start} 至 {end}", "{start} to {end}"),
        "console.sanction.until_lifted": ("撤销为止", "until lifted"),
        "console.sanction.legal_basis": ("法律依据", "Legal basis"),
        "console.sanction.published_by": ("发布人：{name}", "Published by {name}"),
        "console.sanction.lifted_by": ("{date} 由 {name} 撤销", "Lifted on {date} by {name}"),
        "console.sanction.lift_reason": ("撤销理由", "Reason for lifting"),
        "console.sanction.lift_button": ("撤销{kind}", "Lift: {kind}"),
        "console.sanction.publish": ("发布", "Publish"),
        "console.sanction.new_warning": ("发布消费提示", "Publish a consumer warning"),
        "console.sanction.warning_hint": (
            "提示内容会显示在机构公开页面的最上方，请写居民能看懂的话。",
            "The warning shows at the top of the provider's public page: write it for residents.",
        ),
        "console.sanction.warning_text": ("提示内容", "Warning text"),
        "console.sanction.new_blacklist": ("列入黑名单", "Publish a blacklist entry"),
        "console.sanction.blacklist_hint": (
            "列入黑名单须写明理由和法律依据，会公开显示。",
            "A blacklist entry states its reason and legal basis, and is public.",
        ),
        "console.sanction.reason": ("理由", "Reason"),
        "console.sanction.starts_on": ("开始日期", "Starts on"),
        "console.sanction.ends_on_optional": (
            "结束日期（可选，不填则至撤销为止）",
            "Ends on (optional; blank: until lifted)",
        ),
        "console.sanction.case": ("相关案件（可选）", "Related case (optional)"),
        "console.sanction.no_case": ("无", "None"),
        "console.sanction.publish_warning": ("发布消费提示", "Publish the warning"),
        "console.sanction.publish_blacklist": ("列入黑名单", "Publish the entry"),
        # the audit log
        "console.audit.title": ("审计日志", "Audit log"),
        "console.audit.ok": (
            "校验通过：{entries} 条记录的哈希链完整。",
            "Verified: the hash chain of {entries} entries is intact.",
        ),
        "console.audit.broken": (
            "校验失败：第 {seq} 条记录 {problem}。",
            "Verification failed at entry {seq}: {problem}.",
        ),
        "console.audit.head": ("最新哈希：", "Head hash:"),
        "console.audit.recent": ("最新记录（共 {count} 条）", "Newest entries (total: {count})"),
    }
)

# Words the public pages show because of a console decision (a sanction, a removed or held
# review). Kept beside the console's own, since the two change together.
CONSOLE_MESSAGES.update(
    {
        "page.sanction.heading.warning": ("消费提示", "Consumer warning"),
        "page.sanction.heading.blacklist": ("黑名单", "Blacklisted"),
        "page.sanction.blacklist_lead": (
            "该机构已被主管部门列入黑名单。请勿办理预付卡或预付费用。",
            "The regulator has put this provider on its blacklist. Do not prepay or buy a "
            "prepaid card here.",
        ),
        "page.sanction.reason": ("理由", "Reason"),
        "page.sanction.legal_basis": ("法律依据", "Legal basis"),
        "page.sanction.period": ("期限", "Period"),
        "page.sanction.dates": ("{start} 至 {end}", "{start} to {end}"),
        "page.sanction.until_lifted": ("撤销为止", "until lifted"),
        "page.sanction.source": ("发布：{regulator}", "Published by: {regulator}"),
        "review.held_notice": (
            "这条评价正在核查中，暂不计入评分。",
            "This review is being checked and is not counted in the score for now.",
        ),
    }
)
