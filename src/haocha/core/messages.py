"""The message catalogue: key -> (zh, en). Shared by API errors and the pages."""

CATALOGUE: dict[str, tuple[str, str]] = {
    # errors seen by API clients and on forms
    "error.validation": ("提交的内容有误，请检查后重试。", "Some of what you sent is not valid."),
    "error.malformed_json": (
        "请求内容不是有效的 JSON。",
        "The request body is not valid JSON.",
    ),
    "error.body_too_large": ("提交的内容过大。", "The request is too large."),
    "error.not_found": ("找不到该页面或资源。", "Not found."),
    "error.method_not_allowed": ("不支持该请求方法。", "This method is not allowed here."),
    "error.unauthenticated": ("请先登录。", "Please log in first."),
    "error.rate_limited": (
        "操作太频繁，请 {seconds} 秒后再试。",
        "Too many requests; please try again in {seconds} seconds.",
    ),
    "error.csrf": (
        "页面已过期，请刷新后重新提交。",
        "This form has expired; please reload the page and submit again.",
    ),
    "error.internal": ("服务暂时不可用，请稍后再试。", "Something went wrong; please try again."),
    "error.provider_not_found": ("服务机构不存在。", "No such service provider."),
    "error.provider_closed": (
        "该服务机构已停业，无法评价。",
        "This provider has closed and cannot be reviewed.",
    ),
    "error.sector_not_found": ("没有这个行业。", "No such sector."),
    "error.district_not_found": ("没有这个区县。", "No such district."),
    "error.phone_invalid": (
        "请输入 11 位中国大陆手机号码。",
        "Please enter an 11-digit mainland China mobile number.",
    ),
    "error.code_invalid": (
        "验证码不正确或已失效，请重新获取。",
        "The code is wrong or has expired; please request a new one.",
    ),
    "error.code_format": ("验证码是 6 位数字。", "The code is 6 digits."),
    "error.sms_failed": (
        "短信发送失败，请稍后再试。",
        "The text message could not be sent; please try again later.",
    ),
    "error.review_repeat": (
        "您在 {days} 天内已评价过该机构，可在 {date} 之后再次评价。",
        "You reviewed this provider in the last {days} days; you can review it again after {date}.",
    ),
    "error.idempotency_mismatch": (
        "该 Idempotency-Key 已用于另一条不同的提交。",
        "This Idempotency-Key was already used for a different request.",
    ),
    "error.idempotency_key": (
        "Idempotency-Key 须为 1–100 个可见字符。",
        "Idempotency-Key must be 1–100 visible characters.",
    ),
    "error.service_date_future": (
        "服务日期不能晚于今天。",
        "The service date cannot be in the future.",
    ),
    "error.service_date_old": (
        "只能评价一年内的服务。",
        "Only services from the last year can be reviewed.",
    ),
    "error.prepaid_amount_without_prepaid": (
        "未勾选预付卡时不能填写预付金额。",
        "A prepaid amount needs the prepaid-card box ticked.",
    ),
    # field names, used in validation messages
    "field.provider_id": ("服务机构", "provider"),
    "field.level": ("评价等级", "level"),
    "field.dimensions": ("分项评分", "dimension scores"),
    "field.text": ("评价内容", "text"),
    "field.prepaid": ("是否涉及预付卡", "prepaid card"),
    "field.prepaid_amount": ("预付金额", "prepaid amount"),
    "field.service_date": ("服务日期", "service date"),
    "field.phone": ("手机号", "phone"),
    "field.code": ("验证码", "code"),
    "field.q": ("搜索词", "search"),
    "field.sector": ("行业", "sector"),
    "field.district": ("区县", "district"),
    "field.limit": ("每页条数", "page size"),
    "field.offset": ("起始位置", "offset"),
    "field.page": ("页码", "page"),
    "field.id": ("编号", "id"),
    "field.body": ("请求内容", "request body"),
    # validation problems, by pydantic error type
    "problem.missing": ("为必填项", "is required"),
    "problem.int": ("必须是整数", "must be a whole number"),
    "problem.number": ("必须是数字", "must be a number"),
    "problem.bool": ("必须是“是”或“否”", "must be true or false"),
    "problem.string": ("必须是文字", "must be text"),
    "problem.date": ("必须是 YYYY-MM-DD 格式的日期", "must be a date as YYYY-MM-DD"),
    "problem.range": ("必须在 {min} 到 {max} 之间", "must be between {min} and {max}"),
    "problem.min": ("不能小于 {min}", "must be at least {min}"),
    "problem.max": ("不能大于 {max}", "must be at most {max}"),
    "problem.too_long": ("不能超过 {max} 个字", "must be at most {max} characters"),
    "problem.too_short": ("不能为空", "must not be empty"),
    "problem.object": ("格式不正确", "has the wrong shape"),
    "problem.extra": ("不是可识别的字段", "is not a known field"),
    "problem.decimals": ("最多两位小数", "must have at most two decimal places"),
    "problem.invalid": ("格式不正确", "is not valid"),
    "problem.dimension_key": (
        "只能包含 attitude、quality、price、environment",
        "may only hold attitude, quality, price and environment",
    ),
    # regulator accounts and the console login
    "error.login_failed": (
        "用户名、密码或动态验证码不正确。",
        "The user name, password or one-time code is not correct.",
    ),
    "error.account_locked": (
        "登录失败次数过多，账号已锁定，请于 {until}（北京时间）后再试。",
        "Too many failed logins: this account is locked until {until} (China time).",
    ),
    "error.console_login_required": (
        "请先登录监管后台。",
        "Please log in to the regulators' console first.",
    ),
    "error.role_forbidden": ("权限不足。", "Your role cannot do this."),
    "error.regulator_not_found": ("没有这个监管账号。", "No such regulator account."),
    "error.regulator_username": (
        "用户名须为 3–32 位小写字母、数字或 . _ -，并以字母开头。",
        "A user name is 3–32 lowercase letters, digits, '.', '_' or '-', starting with a letter.",
    ),
    "error.regulator_username_taken": (
        "用户名 {username} 已被使用。",
        "The user name {username} is already taken.",
    ),
    "error.regulator_display_name": (
        "姓名不能为空，且不超过 64 个字。",
        "The name must not be empty and at most 64 characters.",
    ),
    "error.regulator_password": (
        "密码须为 {min}–{max} 个字符，且不能与用户名相同。",
        "A password is {min}–{max} characters long and differs from the user name.",
    ),
    "error.regulator_unknown_sector": ("没有这个行业代码：{code}", "No such sector code: {code}"),
    "error.regulator_unknown_district": (
        "没有这个区县代码：{code}",
        "No such district code: {code}",
    ),
    "error.regulator_scope_required": (
        "请至少指定一个行业和一个区县。",
        "Give at least one sector and one district.",
    ),
    "error.regulator_admin_scope": (
        "管理员可查看全部行业和区县，不能指定范围。",
        "An admin sees every sector and district; do not give a scope.",
    ),
    # moderation: the regulator's queue, cases, sanctions, resident reports
    "error.flag_not_found": ("找不到该线索。", "No such flag."),
    "error.flag_decided": (
        "该线索已经处理过，不能再次处理。",
        "This flag has already been decided.",
    ),
    "error.note_too_long": (
        "备注不能超过 {max} 个字。",
        "A note must be at most {max} characters.",
    ),
    "error.note_empty": ("备注不能为空。", "A note must not be empty."),
    "error.case_not_found": ("找不到该案件。", "No such case."),
    "error.case_transition": (
        "案件状态只能按“待处理 → 调查中 → 已办结或已关闭”变更（待处理也可直接关闭）。",
        "A case moves only open → investigating → resolved or closed (or from open to closed).",
    ),
    "error.case_finished": (
        "案件已办结或已关闭，不能再更改承办人。",
        "This case is resolved or closed; its assignee can no longer change.",
    ),
    "error.case_title": (
        "案件标题不能为空，且不超过 {max} 个字。",
        "A case title must not be empty and must be at most {max} characters.",
    ),
    "error.case_working_days": (
        "办理期限须为 1 到 {max} 个工作日。",
        "The time allowed must be 1 to {max} working days.",
    ),
    "error.flag_provider_mismatch": (
        "该线索不属于这家服务机构。",
        "This flag is not about this provider.",
    ),
    "error.assignee_out_of_scope": (
        "承办人须为在职、且管辖范围包含该机构所在行业和区县的监管人员。",
        "The assignee must be an active regulator whose scope covers this sector and district.",
    ),
    "error.sanction_not_found": (
        "找不到该消费提示或黑名单记录。",
        "No such warning or blacklist entry.",
    ),
    "error.sanction_text": (
        "内容不能为空，且不超过 {max} 个字。",
        "The text must not be empty and must be at most {max} characters.",
    ),
    "error.legal_basis_required": (
        "列入黑名单须写明法律依据（不超过 {max} 个字）。",
        "A blacklist entry must state its legal basis (at most {max} characters).",
    ),
    "error.sanction_dates": (
        "结束日期不能早于开始日期。",
        "The end date cannot be before the start date.",
    ),
    "error.case_provider_mismatch": (
        "该案件不属于这家服务机构。",
        "This case is not about this provider.",
    ),
    "error.sanction_lifted": ("该记录已撤销。", "This has already been lifted."),
    "error.lift_reason_required": (
        "请填写撤销理由（不超过 {max} 个字）。",
        "Please give a reason for lifting (at most {max} characters).",
    ),
    "error.blacklist_role": (
        "只有负责人或管理员可以发布或撤销黑名单。",
        "Only a supervisor or an administrator can publish or lift a blacklist entry.",
    ),
    "error.report_review_mismatch": (
        "该评价不存在或不属于这家服务机构。",
        "No such review of this provider.",
    ),
    "field.reason": ("举报原因", "reason"),
    "field.review_id": ("评价", "review"),
    "review.removed_notice": (
        "这条评价经核查后未计入评分。",
        "After a check, this review is not counted in the score.",
    ),
    "flag_kind.fake_review": ("疑似虚假评价", "Suspected fake review"),
    "flag_kind.review_ring": ("疑似刷评团伙", "Suspected review ring"),
    "flag_kind.prepaid_complaint": ("预付卡投诉", "Prepaid card complaint"),
    "flag_kind.flight_risk": ("预付卡跑路风险", "Prepaid flight risk"),
    "flag_kind.resident_report": ("居民举报", "Resident report"),
    "flag_kind.provider_appeal": ("机构申诉", "Provider appeal"),
    "flag_kind.overdue_bad_review": ("差评逾期未回复", "Bad review unanswered past deadline"),
    "flag_status.open": ("待处理", "Open"),
    "flag_status.confirmed": ("已确认", "Confirmed"),
    "flag_status.dismissed": ("已驳回", "Dismissed"),
    "flag_status.case_opened": ("已立案", "Case opened"),
    "case_status.open": ("待处理", "Open"),
    "case_status.investigating": ("调查中", "Investigating"),
    "case_status.resolved": ("已办结", "Resolved"),
    "case_status.closed": ("已关闭", "Closed"),
    "sanction_kind.warning": ("消费提示", "Consumer warning"),
    "sanction_kind.blacklist": ("黑名单", "Blacklist"),
    "report_reason.fake_review": ("虚假评价", "Fake review"),
    "report_reason.prepaid_problem": ("预付卡问题", "Prepaid card problem"),
    "report_reason.closed_or_unreachable": ("停业或联系不上", "Closed or unreachable"),
    "report_reason.other": ("其他", "Other"),
}

from haocha.core.page_messages import PAGE_MESSAGES  # noqa: E402

CATALOGUE.update(PAGE_MESSAGES)
from haocha.core.console_messages import CONSOLE_MESSAGES  # noqa: E402

CATALOGUE.update(CONSOLE_MESSAGES)
from haocha.core.open_messages import OPEN_MESSAGES  # noqa: E402

CATALOGUE.update(OPEN_MESSAGES)
from haocha.core.provider_messages import PROVIDER_MESSAGES  # noqa: E402

CATALOGUE.update(PROVIDER_MESSAGES)
from haocha.core.loop_messages import LOOP_MESSAGES  # noqa: E402

CATALOGUE.update(LOOP_MESSAGES)
