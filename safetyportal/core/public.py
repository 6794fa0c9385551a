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
    "enforcement:exposure_public": "曝光台：县安委办选定公开的已结案处罚案件（行政处罚法第四十八条），"
    "只读快照表，不含执法人员和未公开案件。",
    "enforcement:exposure_public_detail": "曝光台单个公开案件的快照，撤回或未公开的案件返回 404。",
    "admin:login": "参考数据维护后台的登录页（Django admin 自带），登录前必须可见。",
    # whistleblower reports (enforcement/reports, ADR 0029): the public channel of 安全生产法 Art. 73
    "enforcement:report_public_new": "举报表单：任何人无需登录即可举报（安全生产法第七十三、七十四条），"
    "按客户端限流，只写入不读出。",
    "enforcement:report_public_status": "举报人凭查询码查看办理阶段和给举报人的反馈（POST 提交查询码），"
    "按客户端限流；查询码错误、缺失或格式不对时答复相同。",
    "enforcement:report_public_enterprise_names": "举报表单的企业名称提示：只返回至多 8 个企业名称，"
    "不含 id、地址等其他信息，按客户端限流。",
}
