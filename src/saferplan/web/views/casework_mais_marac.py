"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def mais_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def marac_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def marac_dash(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def meeting_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def meeting_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def meeting_detail(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def marac_figures(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
