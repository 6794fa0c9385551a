"""`manage.py import_delegated_items <file.xlsx>`: the catalogue page's import, from a shell
(the same template, checks and service; a file with any bad row imports nothing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from enforcement.authority import importing, services


class Command(BaseCommand):
    help = "从 Excel（模板格式）导入委托执法事项；按事项编码新增或更新。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx file (the page's template)")
        parser.add_argument(
            "--check", action="store_true", help="check the rows only, import nothing"
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as source:
                parsed = importing.parse_workbook(source)
        except OSError as error:
            raise CommandError(f"无法打开文件：{error}") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if parsed.errors:
            for number, message in parsed.errors:
                self.stderr.write(f"第 {number} 行：{message}" if number else message)
            raise CommandError(f"文件有 {len(parsed.errors)} 处错误，未导入任何事项。")
        if options["check"]:
            self.stdout.write(f"检查通过：共 {len(parsed.rows)} 项。")
            return
        created, updated = services.import_delegated_items(actor=None, rows=parsed.rows)
        self.stdout.write(f"已导入委托执法事项：新增 {created} 项，更新 {updated} 项。")
