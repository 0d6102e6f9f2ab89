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
