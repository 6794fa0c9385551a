"""The explicit list of public URLs (no login), each with its reason.

tests/test_url_policy.py walks the whole URLconf and fails on any URL that is reachable
without a login and is not named here.
"""

PUBLIC_URL_NAMES = {
    "login": "登录页本身必须公开。",
    "healthz": "运维人员和负载均衡器检查服务状态，不返回任何业务数据。",
    "set_language": "切换界面语言，登录前也需要。",
    "api-token": "API 客户端用用户名和密码换取令牌。",
    "javascript-catalog": "前端翻译字符串，不含业务数据。",
    "admin:login": "参考数据维护后台的登录页（Django admin 自带），登录前必须可见。",
}
