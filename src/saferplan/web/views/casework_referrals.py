"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def referral_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def referral_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def referral_figures(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def referral_detail(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def route_respond(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
