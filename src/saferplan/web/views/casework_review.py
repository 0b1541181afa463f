"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def review_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_figures(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_detail(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_decide(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_record(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def review_appeal(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
