"""Diary pages (for the victim-survivor) and the case's diary page (for practitioners). Thin."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from orderwatch.accounts import mfa
from orderwatch.accounts.mfa_pages import (
    authenticator_code_entered,
    authenticator_setup,
    replacement_current_code_entered,
    replacement_needs_current_code,
)
from orderwatch.accounts.sessions import next_path, session_signed_in, session_signing_out
from orderwatch.confidential.uploads import uploaded_form
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission
from orderwatch.core.uploads import accepts_files
from orderwatch.diary import selectors, services
from orderwatch.diary.forms import DiaryEntryForm, DiarySignInForm, DiaryStartForm
from orderwatch.diary.middleware import diary_before_code, diary_page, diary_public
from orderwatch.evidence.uploads import evidence_upload_handlers

diary_login_required = login_required(login_url="diary:sign-in")


INVITE_SESSION_KEY = "orderwatch_diary_invite"
CONFIRM_SESSION_KEY = "orderwatch_diary_setup"


@diary_public
@login_not_required
@require_GET
def start_link(request, secret):
    """Take the invitation's secret off the address: keep it in the session and move on, so
    it stays out of the address bar and of the Referer of every later request."""
    if not services.diary_invite_is_usable(secret=secret):
        return diary_page(request, "diary/link_not_usable.html", status=404)
    request.session[INVITE_SESSION_KEY] = secret
    return redirect("diary:start-form")


@diary_public
@login_not_required
def start(request):
    secret = request.session.get(INVITE_SESSION_KEY, "")
    if not services.diary_invite_is_usable(secret=secret):
        return diary_page(request, "diary/link_not_usable.html", status=404)
    form = DiaryStartForm(posted(request))
    if form.is_valid():
        try:
            services.diary_setup_request(
                secret=secret,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "link_not_usable":
                return diary_page(request, "diary/link_not_usable.html", status=404)
            add_service_errors(form, error)
        else:
            return redirect("diary:start-sent")
    return render(request, "diary/start.html", {"form": form})


@diary_public
@login_not_required
@require_GET
def start_sent(request):
    """The same answer for every address: whether it has an account is told only by email."""
    return render(
        request, "diary/start_sent.html", {"hours": settings.ORDERWATCH_DIARY_INVITE_HOURS}
    )


@diary_public
@login_not_required
@require_GET
def confirm_link(request, invite_id, token):
    """Take the emailed link's token off the address, as `start_link` does."""
    if not services.diary_setup_is_usable(invite_id=invite_id, token=token):
        return diary_page(request, "diary/link_not_usable.html", status=404)
    request.session[CONFIRM_SESSION_KEY] = [str(invite_id), token]
    return redirect("diary:confirm-form")


@diary_public
@login_not_required
def confirm(request):
    """Finish setting up on a button press, so a mail scanner opening the link does nothing."""
    invite_id, token = request.session.get(CONFIRM_SESSION_KEY) or ["", ""]
    if not (invite_id and services.diary_setup_is_usable(invite_id=invite_id, token=token)):
        return diary_page(request, "diary/link_not_usable.html", status=404)
    if request.method == "POST":
        try:
            services.diary_setup_confirm(invite_id=invite_id, token=token)
        except ValidationError:
            return diary_page(request, "diary/link_not_usable.html", status=404)
        request.session.pop(CONFIRM_SESSION_KEY, None)
        request.session.pop(INVITE_SESSION_KEY, None)
        messages.success(
            request, "Your notes are set up. Sign in with your email address and password."
        )
        return redirect("diary:sign-in")
    return render(request, "diary/confirm.html")


class SignInView(auth_views.LoginView):
    template_name = "diary/sign_in.html"
    authentication_form = DiarySignInForm
    redirect_authenticated_user = False

    def get_default_redirect_url(self):
        return reverse("diary:home")

    def get_redirect_url(self):
        return next_path(self.request, super().get_redirect_url())

    def form_valid(self, form):
        response = super().form_valid(form)
        session_signed_in(self.request, form.get_user())
        return response


sign_in = diary_public(login_not_required(SignInView.as_view()))


def _leave(request, to: str):
    if request.user.is_authenticated:
        session_signing_out(request)
    logout(request)
    response = redirect(to)
    # Leave nothing of the session behind on the phone.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@diary_public
@login_not_required
def exit_page(request):
    """Sign out at once and go to an everyday website (GOV.UK's "Exit this page")."""
    return _leave(request, settings.ORDERWATCH_EXIT_PAGE_URL)


@diary_before_code
@diary_login_required
@require_POST
def sign_out(request):
    messages.info(request, "You have signed out.")
    return _leave(request, "diary:sign-in")


@diary_login_required
def home(request):
    return render(
        request,
        "diary/home.html",
        {
            "entries": selectors.diary_entries(user=request.user),
            "shared": selectors.shared_with_keeper(user=request.user),
        },
    )


@diary_login_required
@require_GET
def your_order(request):
    """The orders the lead shows, in plain words; places only when the keeper asks to see them
    (one may be their own address)."""
    show_places = request.GET.get("places") == "shown"
    orders = services.diary_order_read(keeper=request.user, show_places=show_places)
    if not orders:
        raise Http404
    return render(request, "diary/your_order.html", {"orders": orders, "places": show_places})


@diary_login_required
@require_POST
def your_order_hide(request):
    services.diary_order_hide(keeper=request.user)
    messages.success(request, "That page is hidden now. Your worker can show it again.")
    return redirect("diary:home")


@accepts_files("ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES")
@csrf_exempt
@diary_login_required
def add(request):
    # 404 before the body is read (CSRF checks read it) if there is no diary; and set the
    # upload handlers before anything reads it.
    selectors.diary_case(user=request.user)
    limit = evidence_upload_handlers(request)
    return _add(request, limit)


@csrf_protect
@once_per_submission
def _add(request, limit):
    form = uploaded_form(request, DiaryEntryForm, limit)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.diary_entry_add(
                actor=request.user,
                occurrence=form.occurrence(),
                description=form.cleaned_data["description"],
                uploads=form.cleaned_data["files"],
                happened=form.cleaned_data["happened"],
                submission_key=form.submission,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _saved_message(item))
            return redirect("diary:home")
    answers = selectors.breach_check_answers(user=request.user)
    return render(request, "diary/add.html", {"form": form, "answers": answers})


def _saved_message(item) -> str:
    check = getattr(item, "diary_check", None)
    if check is None:
        return "Saved. Your note is stored safely."
    if check.conditions.exists():
        return (
            "Saved. Your note is stored safely. It may be a breach of your order: tell your "
            "worker or the police. If you are in danger now, call 999."
        )
    return "Saved. Your note is stored safely. Tell your worker about it."


@not_compressed
@diary_login_required
def second_step(request):
    """Let the victim-survivor choose a second step to signing in (an authenticator app), or
    replace it once they have entered a code from it or a recovery code."""
    if replacement_needs_current_code(request):
        proven, form = replacement_current_code_entered(request)
        if proven:
            return redirect("diary:second-step")
        return render(request, "diary/second_step_check.html", {"form": form})
    codes, page = authenticator_setup(request)
    if codes is not None:
        return render(request, "diary/second_step_done.html", {"codes": codes})
    return render(request, "diary/second_step.html", page)


@diary_before_code
@diary_login_required
def code(request):
    if request.user.is_verified() or not mfa.mfa_is_enrolled(user=request.user):
        return redirect("diary:home")
    passed, form = authenticator_code_entered(request)
    if passed:
        return redirect("diary:home")
    return render(request, "diary/code.html", {"form": form})


# Practitioners: the case's diary page.


def case_diary(request, case_id):
    case, state = services.case_diary_open(actor=request.user, case_id=case_id)
    return render(
        request,
        "diary/case_diary.html",
        {
            "case": case,
            "state": state,
            "sharing": state.sharing,
            "can_share": request.user.has_perm("diary.share_with_keeper", case),
            "can_change": request.user.has_perm("cases.change_case", case),
            "invite_hours": settings.ORDERWATCH_DIARY_INVITE_HOURS,
            "nav": "cases",
        },
    )


@require_GET
def case_diary_preview(request, case_id):
    """The orders as the victim-survivor reads them, so the lead can check the words first."""
    case, orders, hidden = services.case_diary_preview_open(actor=request.user, case_id=case_id)
    return render(
        request,
        "diary/case_diary_preview.html",
        {"case": case, "orders": orders, "hidden": hidden, "nav": "cases"},
    )


@require_POST
def case_diary_order_share(request, case_id, order_id):
    services.diary_order_share(actor=request.user, case_id=case_id, order_id=order_id)
    messages.success(request, "The order is shown in their notes from their next page.")
    return redirect(reverse("diary-case:overview", kwargs={"case_id": case_id}) + "#shown")


@require_POST
def case_diary_order_withdraw(request, case_id, order_id):
    services.diary_order_withdraw(actor=request.user, case_id=case_id, order_id=order_id)
    messages.success(request, "The order is no longer shown in their notes.")
    return redirect(reverse("diary-case:overview", kwargs={"case_id": case_id}) + "#shown")


@require_POST
def case_diary_order_hidden(request, case_id):
    answer = request.POST.get("hidden")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest("Choose whether to hide it.")
    hidden = answer == "yes"
    services.diary_order_hidden_set(actor=request.user, case_id=case_id, hidden=hidden)
    messages.success(
        request,
        "What you show them is hidden from their notes."
        if hidden
        else "What you show them is in their notes again.",
    )
    return redirect(reverse("diary-case:overview", kwargs={"case_id": case_id}) + "#shown")


@not_compressed
@require_POST
def case_diary_invite(request, case_id):
    try:
        invite, secret = services.diary_invite_create(actor=request.user, case_id=case_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("diary-case:overview", case_id=case_id)
    # Shown once, in this response only: the secret is not stored and never put in a session.
    link = request.build_absolute_uri(reverse("diary:start", kwargs={"secret": secret}))
    return render(
        request,
        "diary/case_diary_invited.html",
        {"case": invite.case, "invite": invite, "link": link, "nav": "cases"},
    )


@require_POST
def case_diary_end(request, case_id):
    try:
        services.diary_end(actor=request.user, case_id=case_id)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Diary access has ended. The entries stay on the case.")
    return redirect("diary-case:overview", case_id=case_id)
