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
}

from haocha.core.page_messages import PAGE_MESSAGES  # noqa: E402

CATALOGUE.update(PAGE_MESSAGES)
