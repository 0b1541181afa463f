"""Changing and resetting your own password: Django's forms with GOV.UK wording and styling."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import forms as auth_forms

from saferplan.config.security import within_rate
from saferplan.core.forms import GovUKFormMixin

NEW_PASSWORD_HINT = (
    "Use at least 12 characters. Do not use a common password, a password of only numbers, or one like your "
    "name, username or email address."
)
MISMATCH = "The two new passwords do not match. Enter the same password twice"


def _new_password_fields(form) -> None:
    first, second = form.fields["new_password1"], form.fields["new_password2"]
    first.label, first.help_text = "New password", NEW_PASSWORD_HINT
    first.error_messages["required"] = "Enter a new password"
    second.label, second.help_text = "Confirm new password", ""
    second.error_messages["required"] = "Enter the new password again"
    form.error_messages = {**form.error_messages, "password_mismatch": MISMATCH}


class PasswordChangeForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.fields["old_password"]
        current.label = "Current password"
        current.error_messages["required"] = "Enter your current password"
        current.widget.attrs.pop("autofocus", None)  # GOV.UK: never move focus on load
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
        }
        _new_password_fields(self)
        self._style()


class SetPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self)
        self._style()


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    """Sends the reset link to every active account with this address, and says the same whether there is
    one or not. At most PASSWORD_RESETS_PER_HOUR messages go to one address an hour; further requests are
    accepted the same way and send nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The address your SaferPlan account uses"
        email.error_messages["required"] = "Enter your email address"
        email.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.org"
        )
        email.widget.attrs.update({"spellcheck": "false"})
        self._style()

    def get_users(self, email):
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        if not within_rate(f"password-reset:{digest}", settings.PASSWORD_RESETS_PER_HOUR, 60 * 60):
            return iter(())
        return super().get_users(email)
