"""`sanxiang demo` prints the demo accounts as a table whose columns line up in a terminal,
where a Chinese character takes two columns (issue 13 item 6)."""

from sanxiang.demo.county import DemoAccount
from sanxiang.web.management.commands.demo import account_table, text_columns


def test_the_account_table_lines_up_with_chinese_role_names():
    accounts = [
        DemoAccount("officer", "执法人员", "officer", "Sanxiang-Officer-2026!"),
        DemoAccount("supervisor", "司法局监督人员", "supervisor", "Sanxiang-Supervisor-2026!", "SECRETSECRET"),
        DemoAccount("system_admin", "系统管理员", "sysadmin", "Sanxiang-Sysadmin-2026!", "OTHERSECRET"),
    ]
    lines = account_table(accounts)
    assert lines[0].split() == ["角色", "账号", "密码", "两步验证密钥"]
    assert len(lines) == 4
    # Each column starts at the same terminal column on every line.
    for column, cells in enumerate(zip(*(line.split() for line in lines[1:]), strict=False)):
        starts = {text_columns(line[: line.index(cell)]) for line, cell in zip(lines[1:], cells, strict=True)}
        assert len(starts) == 1, (column, lines)
    header_password = text_columns(lines[0][: lines[0].index("密码")])
    assert header_password == text_columns(lines[2][: lines[2].index("Sanxiang-Supervisor")])
    assert text_columns(lines[0][: lines[0].index("两步验证密钥")]) == text_columns(lines[2][: lines[2].index("SECRETSECRET")])
