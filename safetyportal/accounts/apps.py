from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safetyportal.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from safetyportal.accounts.roles import sync_role_groups

        # No sender: run after every app's migrations, so the last run sees the permissions
        # of apps listed after accounts (audit, responsibilities) that auth has just created.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
