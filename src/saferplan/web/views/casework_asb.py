"""PLACEHOLDER: being written (casework, issue 20). Every function here is replaced by the real view."""

from django.http import Http404


def incident_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def incident_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def incident_detail(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def incident_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def incident_person_add(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_open(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def repeat_victims(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_list(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_detail(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def case_close(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def action_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def action_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def intervention_create(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404


def intervention_edit(request, *args, **kwargs):  # NOT BUILT YET
    raise Http404
