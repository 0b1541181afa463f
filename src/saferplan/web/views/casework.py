"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def home(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def settings_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def routing(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def retention(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def access_log(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def open_reason(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def person(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def subject_access(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def subject_access_export(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_share(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
