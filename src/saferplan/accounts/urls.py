"""Changing your password when signed in, and resetting it by email when you cannot sign in: Django's views
with GOV.UK templates (templates/registration/, named so as not to pick up the admin's)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from saferplan.accounts.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm


def _valid_for(seconds: int) -> str:
    hours, minutes = divmod(seconds // 60, 60)
    if minutes or not hours:
        return f"{seconds // 60} minutes"
    return "1 hour" if hours == 1 else f"{hours} hours"


VALID_FOR = _valid_for(settings.PASSWORD_RESET_TIMEOUT)

urlpatterns = [
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/change_password.html",
            form_class=PasswordChangeForm,
            success_url=reverse_lazy("password-change-done"),
            extra_context={"page_title": "Change your password"},
        ),
        name="password-change",
    ),
    path(
        "account/password/changed/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/change_password_done.html",
            extra_context={"page_title": "Your password has been changed"},
        ),
        name="password-change-done",
    ),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/reset_password.html",
            form_class=PasswordResetForm,
            email_template_name="registration/reset_password_email.txt",
            subject_template_name="registration/reset_password_subject.txt",
            extra_email_context={"valid_for": VALID_FOR},
            success_url=reverse_lazy("password-reset-sent"),
            extra_context={"page_title": "Reset your password"},
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/reset_password_sent.html",
            extra_context={"page_title": "Check your email", "valid_for": VALID_FOR},
        ),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/reset_password_choose.html",
            form_class=SetPasswordForm,
            success_url=reverse_lazy("password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/reset_password_complete.html",
            extra_context={"page_title": "Your password has been reset"},
        ),
        name="password-reset-complete",
    ),
]
