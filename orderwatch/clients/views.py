"""API client pages for agency administrators (ADR 0042). Thin: a form, one service or
selector."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from orderwatch.clients import selectors, services
from orderwatch.clients.forms import (
    ApiClientRegisterForm,
    ApiClientRevokeForm,
    WebhookAddForm,
    WebhookRemoveForm,
)
from orderwatch.clients.scopes import SCOPES
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.webhooks import selectors as webhook_selectors
from orderwatch.webhooks import services as webhook_services

NAV = "clients"


def api_client_list(request):
    if not request.user.has_perm("clients.register_api_client"):
        raise PermissionDenied
    clients = selectors.api_clients(user=request.user)
    return render(request, "clients/api_client_list.html", {"clients": clients, "nav": NAV})


@not_compressed  # the answer shows the client's secret
@once_per_submission
def api_client_register(request):
    if not request.user.has_perm("clients.register_api_client"):
        raise PermissionDenied
    form = ApiClientRegisterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = services.api_client_register(
                actor=request.user, submission_key=form.submission, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The secret is shown on this one answer and kept nowhere in plain words.
            return render(
                request,
                "clients/api_client_registered.html",
                {"client": client, "secret": secret, "nav": NAV},
            )
    return render(request, "clients/api_client_new.html", {"form": form, "nav": NAV})


def api_client_detail(request, client_id):
    client = services.access_api_client(request.user, client_id)
    scopes = [(scope, SCOPES.get(scope, scope)) for scope in client.scopes]
    webhook = webhook_selectors.client_webhook(client=client)
    log = webhook_selectors.webhook_log(webhook=webhook) if webhook else []
    return render(
        request,
        "clients/api_client_detail.html",
        {"client": client, "scopes": scopes, "webhook": webhook, "log": log, "nav": NAV},
    )


def api_client_revoke(request, client_id):
    client = services.access_api_client(request.user, client_id)
    form = ApiClientRevokeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.api_client_revoke(actor=request.user, client_id=client.pk)
        messages.success(request, f"{client.name} can no longer use the API.")
        return redirect("clients:detail", client_id=client.pk)
    return render(request, "clients/api_client_revoke.html", {"client": client, "nav": NAV})


@not_compressed  # the answer shows the webhook's signing secret
def api_client_webhook_add(request, client_id):
    client = services.access_api_client(request.user, client_id)
    form = WebhookAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            webhook, secret = webhook_services.webhook_add(
                actor=request.user, client_id=client.pk, url=form.cleaned_data["url"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The secret is shown on this one answer and kept only sealed, to sign with.
            return render(
                request,
                "clients/webhook_added.html",
                {"client": client, "webhook": webhook, "secret": secret, "nav": NAV},
            )
    return render(request, "clients/webhook_new.html", {"client": client, "form": form, "nav": NAV})


def api_client_webhook_remove(request, client_id):
    client = services.access_api_client(request.user, client_id)
    webhook = webhook_selectors.client_webhook(client=client)
    if webhook is None:
        raise Http404
    form = WebhookRemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        webhook_services.webhook_remove(actor=request.user, client_id=client.pk)
        messages.success(request, f"{client.name} will not be sent any more events.")
        return redirect("clients:detail", client_id=client.pk)
    return render(
        request,
        "clients/webhook_remove.html",
        {"client": client, "webhook": webhook, "nav": NAV},
    )
