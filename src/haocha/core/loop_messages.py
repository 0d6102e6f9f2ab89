"""Words of the bad-review loop (差评闭环): replies, the residents' inbox, re-rating, appeals
and the answer rate. key -> (zh, en), merged into the catalogue."""

LOOP_MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "error.reply_empty": ("请填写答复内容。", "Please write the reply."),
    "error.reply_too_long": (
        "答复不能超过 {max} 个字。",
        "A reply can be at most {max} characters long.",
    ),
    "error.reply_review_removed": (
        "这条评价已被监管部门移除，不能再答复。",
        "This review was removed by a regulator and can no longer be answered.",
    ),
    "error.rerate_not_yours": (
        "只能重新评价您自己写的评价。",
        "You can only re-rate a review you wrote.",
    ),
    "error.rerate_not_open": (
        "只有仍在计分的差评（1–2 分）可以在机构答复后重新评价。",
        "Only a counted bad review (level 1–2) can be re-rated after the provider's answer.",
    ),
    "error.rerate_before_answer": (
        "机构答复后才能重新评价，请等待机构答复。",
        "You can re-rate once the provider has answered; please wait for the answer.",
    ),
    "error.rerate_used": (
        "每条评价只能重新评价一次，您已经重新评价过了。",
        "A review can be re-rated only once, and you have already re-rated this one.",
    ),
    "error.rerate_level": ("请选择 1 到 5 分。", "Please choose a level from 1 to 5."),
    "error.appeal_grounds": (
        "申诉理由须为“虚假评价”或“恶意评价”。",
        "An appeal is on the grounds of a fake or an abusive review.",
    ),
    "error.appeal_reasons": (
        "请说明申诉的具体理由（不超过 {max} 个字）。",
        "Please explain the appeal (at most {max} characters).",
    ),
    "error.appeal_open": (
        "这条评价已有一项申诉正在处理，请等待结果。",
        "An appeal against this review is already being decided; please wait for it.",
    ),
    "error.appeal_review_removed": (
        "这条评价已被移除，无需申诉。",
        "This review has already been removed; there is nothing to appeal.",
    ),
    "error.notification_not_found": ("没有这条消息。", "No such message."),
    "error.review_not_found": ("没有这条评价。", "No such review."),
    # inbox entries (stored as key + parameters, read in the resident's language)
    "loop.notice.reply": (
        "“{provider}”已答复您的差评。看过答复后，您可以重新评价一次。",
        "“{provider}” has answered your bad review. Having read it, you may re-rate once.",
    ),
    "loop.notice.appeal_upheld": (
        "“{provider}”对您的评价提出申诉，经行业主管部门核查，申诉成立，这条评价不再计入评分。",
        "“{provider}” appealed against your review; the sector regulator upheld the "
        "appeal, and the review no longer counts in the score.",
    ),
    "loop.notice.appeal_rejected": (
        "“{provider}”对您的评价提出申诉，经行业主管部门核查，申诉未获支持，您的评价继续有效。",
        "“{provider}” appealed against your review; the sector regulator rejected the "
        "appeal, and your review stands.",
    ),
    # header
    "page.nav.inbox": ("消息", "Messages"),
    "page.nav.unread": ("{count} 条未读", "{count} unread"),
    # the inbox page
    "page.inbox.title": ("我的消息", "My messages"),
    "page.inbox.none": ("暂时没有消息。", "No messages yet."),
    "page.inbox.unread": ("未读", "Unread"),
    "page.inbox.mark_read": ("标为已读", "Mark as read"),
    "page.inbox.mark_all": ("全部标为已读", "Mark all as read"),
    "page.inbox.see_review": ("查看这条评价", "See the review"),
    "page.inbox.count": ("共 {count} 条，{unread} 条未读", "{count} messages, {unread} unread"),
    # a reply under a review (public page and "my reviews")
    "page.reply.heading": ("机构答复", "The provider's reply"),
    "page.reply.edited": ("已修改", "edited"),
    "page.reply.history": ("修改记录", "Earlier versions"),
    "page.reply.version": ("{date} 的版本", "Version of {date}"),
    # the loop on "my reviews"
    "page.loop.due": (
        "这是一条差评：机构须在 {date}（含）前答复，逾期未答复将转交行业主管部门。",
        "This is a bad review: the provider must answer by {date}; if it does not, the "
        "sector regulator is told.",
    ),
    "page.loop.overdue": (
        "机构未在 {date} 前答复，已逾期，将转交行业主管部门处理。",
        "The provider did not answer by {date}; the sector regulator is being told.",
    ),
    "page.loop.answered": ("机构已于 {date} 答复。", "The provider answered on {date}."),
    "page.loop.rerate_heading": ("重新评价", "Re-rate"),
    "page.loop.rerate_intro": (
        "看过机构的答复后，您可以重新评价一次，新的评价将代替原评价计入评分。",
        "Having read the answer, you may re-rate once; the new level replaces the first "
        "one in the score.",
    ),
    "page.loop.rerate_level": ("新的评价等级", "New level"),
    "page.loop.rerate_submit": ("提交重新评价", "Re-rate"),
    "page.loop.rerated": (
        "您已于 {date} 重新评价（原评价：{level}）。",
        "You re-rated on {date} (first level: {level}).",
    ),
    "page.loop.rerated_done": ("已更新您的评价。", "Your review has been updated."),
    "page.appeal.open": (
        "机构对这条评价提出了申诉，行业主管部门正在核查；在此期间评价照常计入评分。",
        "The provider has appealed against this review; the sector regulator is looking "
        "into it, and meanwhile the review counts as usual.",
    ),
    "page.appeal.upheld": (
        "机构的申诉经行业主管部门核查成立，这条评价不再计入评分。",
        "The sector regulator upheld the provider's appeal: this review no longer counts.",
    ),
    "page.appeal.rejected": (
        "机构的申诉经行业主管部门核查未获支持，您的评价继续有效。",
        "The sector regulator rejected the provider's appeal: your review stands.",
    ),
    # the answer rate on the provider page
    "page.loop.rate_heading": ("差评答复", "Answers to bad reviews"),
    "page.loop.rate": ("差评按期答复率", "Bad reviews answered on time"),
    "page.loop.rate_counts": (
        "{judged} 条已到期或已答复的差评中，{on_time} 条按期答复",
        "{on_time} of {judged} bad reviews that were due or answered were answered on time",
    ),
    "page.loop.rate_open": (
        "{count} 条差评仍在答复期内",
        "{count} still within their answer period",
    ),
    "page.loop.rate_none": (
        "暂无已到期或已答复的差评。",
        "No bad review has been answered or reached its deadline yet.",
    ),
    "page.loop.rate_how": ("按期答复率怎么算？", "How is the on-time rate worked out?"),
    "page.loop.rate_explain": (
        "每条差评（1–2 分）发布后，机构须在 {days} 个工作日内答复（节假日不计，调休上班日计入）。"
        "按期答复率 = 按期答复的差评 ÷（已答复的差评 + 逾期未答复的差评）；"
        "仍在答复期内的差评不计入。",
        "After each bad review (level 1–2) the provider has {days} working days to answer "
        "(public holidays excluded, official make-up working days included). On-time rate = "
        "bad reviews answered on time ÷ (answered + unanswered past the deadline); bad "
        "reviews still within their answer period are not counted.",
    ),
}
