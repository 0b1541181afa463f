from django import forms
from django.contrib.auth.forms import AuthenticationForm

from saferplan.core.forms import GovUKForm, GovUKFormMixin


class SignInForm(GovUKFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self._style()


class SearchForm(GovUKForm):
    q = forms.CharField(
        label="Search objectives, outcomes, actions, indicators, groups and organisations",
        max_length=200,
        required=False,
        error_messages={"max_length": "Search words must be 200 characters or fewer"},
    )
