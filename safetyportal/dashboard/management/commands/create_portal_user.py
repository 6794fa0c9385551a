"""Create a portal user with a role and placement, from the command line.

    manage.py create_portal_user wang --role county_office --organisation aqwb \\
        --display-name 王主任
    echo 'S3cret-pass' | manage.py create_portal_user huaxin --role enterprise \\
        --enterprise 91430723MA4XXXXXXX --password-stdin

Everything is checked before the password is asked for, and the user is created by
`safetyportal.accounts.services.create_portal_user` (group `role:<role>`, audit event
`user.created`), so a failure leaves nothing behind.
"""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from enterprises.models import Enterprise
from enterprises.registry.uscc import normalise_uscc
from responsibilities.models import Organisation
from safetyportal.accounts.models import Role, User, validate_placement
from safetyportal.accounts.services import create_portal_user


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in msgs)}" if field != "__all__" else " ".join(msgs)
            for field, msgs in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


class Command(BaseCommand):
    help = "创建门户用户（指定角色及所属单位或企业）/ Create a portal user with a role."
    # tests pass stdin=io.StringIO(...) through call_command
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username", help="登录名 / login name")
        parser.add_argument(
            "--role",
            required=True,
            help="角色 / role: " + ", ".join(f"{r.value} ({r.label})" for r in Role),
        )
        parser.add_argument(
            "--organisation",
            metavar="CODE",
            help="所属单位代码，如 aqwb、dept-yjj、430723102 / organisation code",
        )
        parser.add_argument(
            "--enterprise", metavar="USCC", help="所属企业的统一社会信用代码 / enterprise USCC"
        )
        parser.add_argument("--display-name", default="", help="姓名 / display name")
        parser.add_argument("--email", default="", help="电子邮箱 / e-mail")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="从标准输入读取密码（第一行）/ read the password from the first line of stdin",
        )

    def handle(self, *args, **options):
        self.stdin = options.get("stdin") or sys.stdin
        username = options["username"].strip()
        role = options["role"].strip()
        if not username:
            raise CommandError("登录名不能为空 / the username must not be empty.")
        if role not in Role.values:
            raise CommandError(
                f"未知角色“{role}” / unknown role {role!r}; 可选 / choose one of: "
                + ", ".join(Role.values)
            )

        organisation = None
        if options["organisation"]:
            code = options["organisation"].strip()
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is None:
                raise CommandError(
                    f"单位代码“{code}”不存在 / unknown organisation code {code!r} "
                    "(是否已运行 load_reference_data? / did you run load_reference_data?)"
                )

        enterprise = None
        if options["enterprise"]:
            uscc = normalise_uscc(options["enterprise"])
            enterprise = Enterprise.objects.filter(uscc=uscc).first()
            if enterprise is None:
                raise CommandError(
                    f"统一社会信用代码“{uscc}”对应的企业不存在 / no enterprise with USCC {uscc!r}"
                )

        try:
            validate_placement(role, organisation, enterprise)
        except ValidationError as error:
            raise CommandError(
                f"角色与所属单位/企业不匹配 / invalid placement for role {role!r}: "
                f"{_messages(error)}"
            ) from None

        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"登录名“{username}”已存在 / username {username!r} already exists")

        password = self._read_password(options["password_stdin"], username, options["email"])

        try:
            user = create_portal_user(
                actor=None,
                username=username,
                password=password,
                role=role,
                display_name=options["display_name"],
                email=options["email"],
                organisation=organisation,
                enterprise=enterprise,
            )
        except ValidationError as error:
            raise CommandError(f"用户信息有误 / invalid user: {_messages(error)}") from None
        except IntegrityError:
            # a concurrent creation of the same username
            raise CommandError(
                f"登录名“{username}”已存在 / username {username!r} already exists"
            ) from None

        place = user.place_label or "-"
        self.stdout.write(
            self.style.SUCCESS(
                f"已创建用户 {user.username}（{user.get_role_display()}，{place}）"
                f" / created user {user.username} ({role})"
            )
        )

    def _read_password(self, from_stdin: bool, username: str, email: str) -> str:
        if from_stdin:
            password = self.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("密码 / Password: ")
            again = getpass.getpass("再次输入密码 / Password (again): ")
            if password != again:
                raise CommandError("两次输入的密码不一致 / the passwords do not match.")
        if not password:
            raise CommandError("密码不能为空 / the password must not be empty.")
        try:
            password_validation.validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            raise CommandError(f"密码不符合要求 / weak password: {_messages(error)}") from None
        return password
