"""Breach pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.breaches import selectors, services
from orderwatch.breaches.drafts import (
    BreachDraft,
    breach_draft_discard,
    breach_draft_keep,
    breach_draft_read,
)
from orderwatch.breaches.forms import BreachForm, PoliceReportForm, WitnessRevealForm
from orderwatch.breaches.questions import BY_SLUG, QUESTIONS, Flow
from orderwatch.cases.selectors import case_for_change
from orderwatch.cases.services import case_open
from orderwatch.core.compression import not_compressed
from orderwatch.core.forms import add_service_errors, posted
from orderwatch.core.submissions import once_per_submission, submission_saved_url
from orderwatch.core.templatetags.govuk import govuk_anchor

BREACHES_PER_PAGE = 50


def breach_list(request, case_id):
    """Every breach on the case, latest first, a page at a time (viewing it is audited like
    the case page)."""
    case = case_open(actor=request.user, case_id=case_id)
    page = Paginator(selectors.case_breaches(case=case), BREACHES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "breaches/breach_list.html",
        {
            "case": case,
            "page": page,
            "counts": selectors.case_breach_counts(case=case),
            "nav": "cases",
        },
    )


def breach_new(request, case_id):
    """Start recording a breach, or go on with (or discard) the one started in this session."""
    case = case_for_change(user=request.user, case_id=case_id)
    kept = breach_draft_read(request.session, case.pk)
    if kept is not None and submission_saved_url(key=kept.key, actor=request.user):
        # Saved already (the answer to the save was lost): nothing is left to go on with.
        breach_draft_discard(request.session, case.pk)
        kept = None
    flow = Flow(selectors.conditions_to_pick(case=case), kept or BreachDraft())
    resume = flow.first_unanswered() if kept is not None else QUESTIONS[0]
    return render(
        request,
        "breaches/breach_new.html",
        {
            "case": case,
            "kept": kept is not None,
            "next_url": _question_url(case, resume) if resume else _check_url(case),
            "nav": "cases",
        },
    )


@not_compressed
def breach_question(request, case_id, question):
    """One question page: keep its answers in the session's draft and go to the next page (or
    back to Check your answers, when changing an answer).

    Not compressed: the page may show the witness details typed (ADR 0013)."""
    case = case_for_change(user=request.user, case_id=case_id)
    question = BY_SLUG.get(question)
    if question is None:
        raise Http404
    kept = breach_draft_read(request.session, case.pk) or BreachDraft()
    flow = Flow(selectors.conditions_to_pick(case=case), kept)
    if question not in flow.asked():
        return redirect(_question_url(case, flow.first_unanswered()) or _check_url(case))
    changing = request.GET.get("change") == "1"
    if request.method == "POST":
        form = flow.form(question, request.POST)
        if form.is_valid():
            kept.pages[question.slug] = {
                name: request.POST.getlist(name)
                for name in request.POST
                if name != "csrfmiddlewaretoken"
            }
            breach_draft_keep(request.session, case.pk, kept)
            following = flow.first_unanswered() if changing else flow.after(question)
            if following is None:
                return redirect(_check_url(case))
            return redirect(_question_url(case, following, changing=changing))
    else:
        form = flow.form(question, initial=_as_typed(flow, question))
    before = flow.before(question)
    if changing:
        back_url = _check_url(case)
    else:
        back_url = _question_url(case, before) or reverse("breaches:new", args=[case.pk])
    return render(
        request,
        "breaches/breach_question.html",
        {
            "case": case,
            "question": question,
            "caption": f"Record a breach – {question.section.lower()}",
            "form": form,
            "back_url": back_url,
            "nav": "cases",
        },
    )


def _as_typed(flow: Flow, question) -> dict:
    """Return the page's kept answers as its fields show them."""
    if question.slug not in flow.kept.pages:
        return {}
    typed = flow.kept.page(question.slug)
    form = flow.form(question)
    return {
        name: field.widget.value_from_datadict(typed, {}, form.add_prefix(name))
        for name, field in form.fields.items()
    }


@not_compressed
@once_per_submission
def breach_check(request, case_id):
    """Check your answers, then save the breach: the only step that writes.

    Not compressed: the page shows the witness details typed (ADR 0013)."""
    case = case_for_change(user=request.user, case_id=case_id)
    kept = breach_draft_read(request.session, case.pk)
    if kept is None:
        return redirect("breaches:new", case.pk)
    flow = Flow(selectors.conditions_to_pick(case=case), kept)
    missing = flow.first_unanswered()
    if missing is not None:
        return redirect(_question_url(case, missing))
    form = None
    if request.method == "POST":
        data = flow.draft()
        data["submission_key"] = request.POST.get("submission_key", "")
        form = BreachForm(data, orders=flow.orders)
        if form.is_valid():
            try:
                breach = services.breach_record(
                    actor=request.user,
                    case=case,
                    account=form.account(),
                    submission_key=form.submission,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                breach_draft_discard(request.session, case.pk)
                messages.success(
                    request,
                    "Breach recorded. A safety plan review is now due, and the case team has "
                    "been told.",
                )
                return redirect(breach)
    return render(
        request,
        "breaches/breach_check.html",
        {
            "case": case,
            "back_url": _question_url(case, flow.asked()[-1]),
            "sections": _summary(case, flow),
            "form": form,
            "problems": _problems(case, flow, form) if form is not None else [],
            "submission_key": kept.key,
            "nav": "cases",
        },
    )


def _summary(case, flow: Flow) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Return each section's answers: question, answer, and the page to change it on."""
    sections: dict[str, list] = {}
    for question in flow.asked():
        url = _question_url(case, question, changing=True)
        rows = [(label, value, url) for label, value in flow.answered(question).summary()]
        sections.setdefault(question.section, []).extend(rows)
    return list(sections.items())


def _problems(case, flow: Flow, form: BreachForm) -> list[tuple[str, str]]:
    """Return each problem found on saving, linked to the question page that can fix it."""
    pages = {name: q for q in flow.asked() for name in flow.form(q).fields}
    problems = []
    for name, errors in form.errors.items():
        question = pages.get(name)
        if question is None:
            link = "#main-content"
        else:
            link = f"{_question_url(case, question, changing=True)}#{govuk_anchor(form[name])}"
        problems += [(error, link) for error in errors]
    return problems


@require_POST
def breach_draft_forget(request, case_id):
    """Discard the breach started in this session on the case, at the person's choice."""
    case = case_for_change(user=request.user, case_id=case_id)
    breach_draft_discard(request.session, case.pk)
    messages.info(request, "The breach you started has been discarded. Nothing was saved.")
    return redirect("breaches:new", case.pk)


def _question_url(case, question, *, changing: bool = False) -> str | None:
    if question is None:
        return None
    url = reverse("breaches:question", args=[case.pk, question.slug])
    return f"{url}?change=1" if changing else url


def _check_url(case) -> str:
    return reverse("breaches:check", args=[case.pk])


def breach_detail(request, case_id, breach_id):
    breach = services.breach_open(actor=request.user, case_id=case_id, breach_id=breach_id)
    return render(
        request,
        "breaches/breach_detail.html",
        {
            "case": breach.case,
            "breach": breach,
            "review": selectors.breach_review_task(breach=breach),
            "can_change": request.user.has_perm("cases.change_case", breach.case),
            "can_reveal_witnesses": request.user.has_perm(
                "breaches.reveal_witness_details", breach.case
            ),
            "nav": "cases",
        },
    )


def breach_police_report(request, case_id, breach_id):
    breach = selectors.breach_for_change(user=request.user, case_id=case_id, breach_id=breach_id)
    if breach.police_reported:
        return redirect(breach)
    form = PoliceReportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.breach_police_report_update(
                actor=request.user,
                case=breach.case,
                breach_id=breach.pk,
                **form.service_arguments(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Police report recorded."
                if form.cleaned_data["now_reported"] == "yes"
                else "The decision not to report it is recorded.",
            )
            return redirect(breach)
    return render(
        request,
        "breaches/police_report.html",
        {"case": breach.case, "breach": breach, "form": form, "nav": "cases"},
    )


@not_compressed
def breach_witnesses_reveal(request, case_id, breach_id):
    breach = selectors.breach_for_witness_reveal(
        user=request.user, case_id=case_id, breach_id=breach_id
    )
    form = WitnessRevealForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            # The code is checked first, on its own: a wrong code must count towards throttling.
            step_up = mfa_step_up(user=request.user, code=form.cleaned_data["code"])
            witnesses = services.breach_witnesses_reveal(
                actor=request.user,
                case=breach.case,
                breach_id=breach.pk,
                reason=form.cleaned_data["reason"],
                step_up=step_up,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request,
                "breaches/witnesses_revealed.html",
                {"case": breach.case, "breach": breach, "witnesses": witnesses, "nav": "cases"},
            )
    return render(
        request,
        "breaches/witnesses_reveal.html",
        {"case": breach.case, "breach": breach, "form": form, "nav": "cases"},
    )
