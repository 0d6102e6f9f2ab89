"""Words of the provider portal and of QR invitations: key -> (zh, en), merged into the
catalogue."""

PROVIDER_MESSAGES: dict[str, tuple[str, str]] = {
    # errors of provider accounts
    "error.provider_login_required": (
        "请先登录机构后台。",
        "Please log in to the provider portal first.",
    ),
    "error.credit_code_invalid": (
        "统一社会信用代码应为 18 位，且校验位正确（GB 32100），请核对营业执照。",
        "A unified social credit code has 18 characters and a valid check character "
        "(GB 32100); please check the business licence.",
    ),
    "error.listing_not_found": (
        "平台上没有使用该统一社会信用代码的机构。",
        "No listing on the platform has this unified social credit code.",
    ),
    "error.listing_claimed": (
        "该机构已被认领，不能重复认领。如有疑问，请联系机构负责人或行业主管部门。",
        "This listing has already been claimed and cannot be claimed again. If this is "
        "wrong, contact the provider's owner or the sector regulator.",
    ),
    "error.listing_no_phone": (
        "该机构尚未登记联系电话，无法通过短信认领，请联系行业主管部门。",
        "This listing has no registered phone, so it cannot be claimed by text message; "
        "please contact the sector regulator.",
    ),
    "error.provider_phone_in_use": (
        "该手机号已绑定一家机构的后台账号。",
        "This phone number already has a login to a provider's portal.",
    ),
    "error.provider_too_many_staff": (
        "每家机构最多 {max} 个员工账号。",
        "A provider can have at most {max} staff logins.",
    ),
    "error.provider_owner_only": (
        "只有机构负责人可以管理员工账号。",
        "Only the provider's owner can manage staff logins.",
    ),
    "error.provider_staff_not_found": ("找不到该员工账号。", "No such staff login."),
    "error.provider_login_locked": (
        "验证码错误次数过多，请 {minutes} 分钟后再试。",
        "Too many wrong codes: please try again in {minutes} minutes.",
    ),
    "error.provider_review_not_found": ("找不到该评价。", "No such review."),
    # errors of QR invitations
    "error.invitation_forged": (
        "邀请码无效：它不是本平台签发的，或已被改动。请重新扫描机构的二维码。",
        "This invitation is not valid: it was not issued by this platform or has been "
        "altered. Please scan the provider's QR code again.",
    ),
    "error.invitation_expired": (
        "邀请码已过期，请重新扫描机构的二维码，或直接评价（不标记为已核实）。",
        "This invitation has expired. Scan the provider's QR code again, or review "
        "without it (the review is then not marked verified).",
    ),
    "error.invitation_used": (
        "该邀请码已使用过，每个邀请码只能评价一次。",
        "This invitation has already been used: each one is good for one review.",
    ),
    "error.invitation_wrong_provider": (
        "该邀请码属于另一家机构，不能用于评价这家机构。",
        "This invitation belongs to another provider and cannot be used to review this one.",
    ),
    "error.poster_link_invalid": (
        "二维码链接无效，请确认扫描的是机构张贴的评价二维码。",
        "This QR link is not valid; make sure you scanned the provider's review poster.",
    ),
    "error.invitation_not_found": ("找不到该邀请。", "No such invitation."),
    "field.invitation": ("邀请码", "invitation"),
    "field.credit_code": ("统一社会信用代码", "unified social credit code"),
    # the review form, when it carries an invitation
    "provider.invitation.form_note": (
        "您通过机构的评价二维码进入，本次评价将标记为“已核实”。",
        "You came through the provider's review QR code: this review will be marked verified.",
    ),
    # frame
    "provider.portal.name": ("机构后台", "Provider portal"),
    "provider.nav.label": ("机构后台导航", "Provider portal"),
    "provider.nav.dashboard": ("概览", "Overview"),
    "provider.nav.reviews": ("评价", "Reviews"),
    "provider.nav.poster": ("评价二维码", "Review QR code"),
    "provider.nav.staff": ("员工账号", "Staff"),
    "provider.role.owner": ("负责人", "Owner"),
    "provider.role.staff": ("员工", "Staff"),
    "provider.logout": ("退出登录", "Log out"),
    "provider.error.title": ("未能完成操作", "That could not be done"),
    "provider.done.claimed": (
        "认领成功，您已成为该机构的负责人。",
        "The listing is yours: you are its owner now.",
    ),
    "provider.done.replied": ("回复已发布。", "The reply is published."),
    "provider.done.appealed": (
        "申诉已提交，将由行业主管部门审核。",
        "The appeal is filed; the sector regulator will decide it.",
    ),
    "provider.done.staff_added": (
        "员工账号已添加，对方可用该手机号登录。",
        "The staff login is added: they can log in with that phone number.",
    ),
    "provider.done.staff_removed": (
        "员工账号已停用，其登录即时失效。",
        "The staff login is closed, and its sessions ended.",
    ),
    "provider.done.invitation_issued": (
        "已生成一次性评价邀请。",
        "A one-time invitation is ready.",
    ),
    # login and claim
    "provider.login.title": ("机构后台登录", "Provider portal login"),
    "provider.login.intro": (
        "供服务机构负责人和员工使用：回复评价、限期答复差评、打印评价二维码。",
        "For providers' owners and staff: reply to reviews, answer bad reviews in time, "
        "print the review QR code.",
    ),
    "provider.login.phone": ("手机号", "Mobile number"),
    "provider.login.send_code": ("获取验证码", "Send code"),
    "provider.login.no_account": ("还没有后台账号？", "No login yet?"),
    "provider.login.claim_link": ("认领您的机构", "Claim your listing"),
    "provider.login.notice": (
        "验证码连续输错 5 次，该手机号将暂停登录 15 分钟。",
        "Five wrong codes in a row pause logins from that number for 15 minutes.",
    ),
    "provider.login.code_sent": (
        "如果 {phone} 已开通机构后台账号，验证码短信已发出。",
        "If {phone} has a provider login, a text message with the code is on its way.",
    ),
    "provider.code.title": ("输入验证码", "Enter the code"),
    "provider.code.valid": (
        "验证码 {minutes} 分钟内有效。",
        "The code is valid for {minutes} minutes.",
    ),
    "provider.code.label": ("短信验证码", "Code from the text message"),
    "provider.code.submit": ("确认", "Confirm"),
    "provider.code.again": ("没收到？重新获取", "Nothing came? Start again"),
    "provider.claim.title": ("认领机构", "Claim a listing"),
    "provider.claim.intro": (
        "输入营业执照上的统一社会信用代码。验证码将发送到该机构登记的联系电话，"
        "输入验证码后，您即成为机构负责人。",
        "Enter the unified social credit code from the business licence. A code is texted "
        "to the listing's registered phone; enter it, and you become the listing's owner.",
    ),
    "provider.claim.credit_code": ("统一社会信用代码", "Unified social credit code"),
    "provider.claim.credit_code_hint": (
        "18 位，由数字和大写字母组成，例如 91310101MA1FP4XN0K。",
        "18 digits and capital letters, e.g. 91310101MA1FP4XN0K.",
    ),
    "provider.claim.submit": ("发送验证码", "Send the code"),
    "provider.claim.privacy": (
        "我们只显示登记电话的前三位和后四位，不会向您展示完整号码。",
        "Only the first three and last four digits of the registered phone are shown.",
    ),
    "provider.claim.login_link": ("已有账号？登录机构后台", "Have a login? Log in"),
    "provider.claim.code_sent": (
        "验证码已发送至“{name}”登记的联系电话 {phone}。",
        "A code was texted to the registered phone of {name}, {phone}.",
    ),
    # staff
    "provider.staff.title": ("员工账号", "Staff logins"),
    "provider.staff.intro": (
        "员工可用自己的手机号和短信验证码登录，回复评价、生成评价邀请；只有负责人可以管理员工账号。",
        "Staff log in with their own phone and a text code, reply to reviews and issue "
        "invitations; only the owner manages staff logins.",
    ),
    "provider.staff.since": ("{date} 开通", "Since {date}"),
    "provider.staff.last_login": ("最近登录 {date}", "Last login {date}"),
    "provider.staff.remove": ("停用 {phone}", "Remove {phone}"),
    "provider.staff.add_heading": ("添加员工", "Add a staff member"),
    "provider.staff.phone": ("员工手机号", "Staff member's mobile number"),
    "provider.staff.phone_hint": (
        "号码只以加密形式保存，页面上只显示部分数字。",
        "The number is stored encrypted and shown only in part.",
    ),
    "provider.staff.add": ("添加", "Add"),
    # poster and invitations
    "provider.poster.title": ("评价二维码海报", "Review QR poster"),
    "provider.poster.intro": (
        "把海报打印出来贴在前台。居民每扫一次码，就得到一次性的评价邀请，"
        "通过邀请提交的评价会标记为“已核实”，在评分中权重加倍。",
        "Print the poster for your counter. Each scan gives the resident a one-time "
        "invitation; reviews made through one are marked verified and count double in "
        "the score.",
    ),
    "provider.poster.pdf": ("下载 PDF（A4）", "Download PDF (A4)"),
    "provider.poster.png": ("下载图片（PNG）", "Download image (PNG)"),
    "provider.poster.preview_alt": (
        "{name}的评价二维码海报预览",
        "Preview of the review QR poster of {name}",
    ),
    "provider.poster.how": (
        "每个邀请 2 小时内有效，只能使用一次。",
        "Each invitation is valid for 2 hours and can be used once.",
    ),
    "provider.poster.scan_url": ("二维码地址：", "The QR code's address:"),
    "provider.invitation.heading": ("单次评价邀请", "A single invitation"),
    "provider.invitation.intro": (
        "为正在办理业务的居民生成一个一次性二维码，在屏幕上出示给对方扫描。",
        "Make a one-time QR code for the resident at the counter and show it on screen.",
    ),
    "provider.invitation.issue": ("生成一次性邀请", "Make a one-time invitation"),
    "provider.invitation.another": ("再生成一个", "Make another"),
    "provider.invitation.title": ("一次性评价邀请", "One-time invitation"),
    "provider.invitation.show": (
        "请居民用手机扫描下方二维码进行评价。",
        "Ask the resident to scan this code with their phone to review.",
    ),
    "provider.invitation.expires": ("有效期至 {time}", "Valid until {time}"),
    "provider.invitation.link": ("或发送链接：", "Or send the link:"),
    "provider.invitation.used": ("该邀请已于 {time} 使用。", "This invitation was used at {time}."),
    "provider.invitation.expired": ("该邀请已过期。", "This invitation has expired."),
    # overview, reviews
    "provider.dash.title": ("概览", "Overview"),
    "provider.dash.stats": ("评分与评价", "Score and reviews"),
    "provider.dash.all_reviews": ("查看全部评价", "All reviews"),
    "provider.dash.public_page": ("查看公开页面", "See the public page"),
    "provider.reviews.title": ("评价", "Reviews"),
    "provider.reviews.show_all": ("显示全部评价", "Show all reviews"),
    "provider.reviews.show_bad": ("只看差评", "Bad reviews only"),
    "provider.reviews.count": ("共 {count} 条", "Reviews: {count}"),
    "provider.reviews.open": ("查看与回复（第 {id} 号）", "Open and reply (no. {id})"),
    "provider.reviews.none": ("还没有评价。", "No reviews yet."),
    "provider.review.title": ("评价 第 {id} 号", "Review no. {id}"),
    "provider.review.verified": ("已核实", "Verified"),
    # the closed loop on the portal
    "provider.dash.loop": ("差评闭环", "Bad reviews to answer"),
    "provider.dash.loop_intro": (
        "每条差评须在期限内（工作日，节假日顺延）答复；逾期未答复的将转交行业主管部门。",
        "Every bad review must be answered within its deadline (working days, holidays "
        "skipped); unanswered ones go to the sector regulator.",
    ),
    "provider.dash.open_bad": ("待答复", "Awaiting an answer"),
    "provider.dash.overdue": ("已逾期", "Overdue"),
    "provider.dash.answered": ("已答复", "Answered"),
    "provider.dash.on_time_rate": ("按时答复率", "Answered on time"),
    "provider.dash.no_rate": ("暂无", "Not yet"),
    "provider.dash.open_heading": (
        "待答复的差评（逾期的在前）",
        "Bad reviews to answer (overdue first)",
    ),
    "provider.dash.answer": ("查看并答复（第 {id} 号）", "Open and answer (no. {id})"),
    "provider.dash.none_open": ("没有待答复的差评。", "No bad review is waiting for an answer."),
    "provider.loop.state.open": ("待答复", "To answer"),
    "provider.loop.state.overdue": ("已逾期", "Overdue"),
    "provider.loop.state.answered": ("已答复", "Answered"),
    "provider.loop.state.rerated": ("居民已重新评价", "Re-rated by the resident"),
    "provider.loop.state.closed": ("已结束", "Closed"),
    "provider.loop.due": ("答复期限：{date}", "Answer by: {date}"),
    "provider.loop.rerated": (
        "居民看到答复后重新评价：{before} → {after}",
        "After the answer the resident re-rated: {before} → {after}",
    ),
    "provider.reply.heading": ("机构回复", "Your reply"),
    "provider.reply.updated": ("最近更新 {time}", "Last updated {time}"),
    "provider.reply.edited": ("已修改", "edited"),
    "provider.reply.history": ("修改记录（{count} 个版本）", "History ({count} versions)"),
    "provider.reply.label": ("公开回复", "Public reply"),
    "provider.reply.edit_label": ("修改回复", "Edit the reply"),
    "provider.reply.hint_bad": (
        "请说明您做了什么整改。回复会公开显示，并短信通知评价人，对方可据此重新评价一次。",
        "Say what you did about it. The reply is public, the resident is told by text "
        "message and may re-rate once.",
    ),
    "provider.reply.hint": (
        "回复会公开显示在评价下方；修改后，之前的版本仍可查看。",
        "The reply is shown under the review; after an edit, earlier versions stay viewable.",
    ),
    "provider.reply.submit": ("发布回复", "Publish the reply"),
    "provider.reply.submit_edit": ("保存修改", "Save the edit"),
    "provider.appeal.heading": ("申诉", "Appeal"),
    "provider.appeal.intro": (
        "如认为该评价是虚假评价或含有辱骂内容，可向行业主管部门申诉，结果会告知双方。",
        "If you think this review is fake or abusive, appeal to the sector regulator; "
        "both sides are told the outcome.",
    ),
    "provider.appeal.grounds": ("申诉理由", "Grounds"),
    "provider.appeal.grounds.fake": ("虚假评价", "Fake review"),
    "provider.appeal.grounds.abusive": ("辱骂或不当内容", "Abusive content"),
    "provider.appeal.reasons": ("具体说明", "Details"),
    "provider.appeal.submit": ("提交申诉", "File the appeal"),
    "provider.appeal.status.open": (
        "已于 {date} 提交申诉，等待行业主管部门审核。",
        "Appeal filed on {date}, waiting for the regulator's decision.",
    ),
    "provider.appeal.status.upheld": (
        "申诉成立：该评价已不计入评分。",
        "Appeal upheld: the review no longer counts in the score.",
    ),
    "provider.appeal.status.rejected": (
        "申诉未获支持：该评价保留。",
        "Appeal rejected: the review stays.",
    ),
}
