"""The short forms search understands (ASB → anti-social behaviour), which analysts and administrators keep."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferplan.accounts import permissions
from saferplan.core.selectors import history_entries
from saferplan.plans import selectors, services
from saferplan.plans.forms import SearchSynonymForm
from saferplan.web.views.pages import _found


def _allow(user) -> None:
    if not permissions.can_maintain_synonyms(user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def synonym_list(request):
    _allow(request.user)
    form = SearchSynonymForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        synonym = services.synonym_save(user=request.user, **form.cleaned_data)
        messages.success(request, f"Search now reads “{synonym.term}” as “{synonym.meaning}” too")
        return redirect("synonym-list")
    return render(
        request,
        "web/synonym_list.html",
        {
            "page_title": ("Error: " if form.errors else "") + "Short forms search understands",
            "form": form,
            "synonyms": selectors.synonyms_list(),
            "breadcrumbs": [("Search", reverse("search"))],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def synonym_edit(request, pk):
    _allow(request.user)
    synonym = _found(selectors.synonym_get(pk))
    term = synonym.term  # as recorded: the form changes the record it is given
    if request.method == "POST" and "remove" in request.POST:
        services.synonym_remove(user=request.user, synonym=synonym)
        messages.success(request, f"Search no longer reads “{synonym.term}” as “{synonym.meaning}”")
        return redirect("synonym-list")
    form = SearchSynonymForm(request.POST or None, instance=synonym)
    if request.method == "POST" and form.is_valid():
        services.synonym_save(user=request.user, synonym=synonym, **form.cleaned_data)
        messages.success(request, f"“{synonym.term}” changed")
        return redirect("synonym-list")
    return render(
        request,
        "web/synonym_edit.html",
        {
            "page_title": ("Error: " if form.errors else "") + f"Short form “{term}”",
            "form": form,
            "synonym": synonym,
            "term": term,
            "history": history_entries(synonym) if permissions.can_view_history(request.user) else None,
            "breadcrumbs": [
                ("Search", reverse("search")),
                ("Short forms search understands", reverse("synonym-list")),
            ],
        },
        status=400 if form.errors else 200,
    )
