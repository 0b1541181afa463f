"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def feed_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def feed_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def feed_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def feed_run(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
