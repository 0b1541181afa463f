from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "saferplan.accounts"
    label = "accounts"
    verbose_name = "Users and organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from saferplan.config.security import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="saferplan-session-clocks")
