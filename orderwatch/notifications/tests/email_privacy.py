"""The check behind the suite-wide rule that no email carries a name, an address or a case detail.

`personal_data_in_emails` is pure (it is given the emails and the strings they must not hold);
`case_data_strings` collects those strings from the database: every person's names (on cases,
and every account's, professional or diary), every agency's name, every protected, previous and
condition address, every case and court reference, every party told about the case (name, role,
organisation, contact details), and the free text of orders, changes,
breaches, shares, safety plans and expiry decisions. The root conftest runs both after every
test that sent email.
"""

import re
from collections.abc import Iterable, Iterator

from django.core.mail import EmailMessage, EmailMultiAlternatives

# Free text is also checked clause by clause, and five words at a time, so part of a sentence
# cannot slip through.
_CLAUSE_BREAKS = re.compile(r"[,.;:!?\n]+")
_SHORTEST_CLAUSE = 4
_RUN_OF_WORDS = 5


def email_texts(message: EmailMessage) -> Iterator[str]:
    """Yield everything a reader of the email sees: subject, body, alternatives, attachments."""
    yield str(message.subject)
    yield str(message.body)
    if isinstance(message, EmailMultiAlternatives):
        for alternative in message.alternatives:
            yield str(alternative[0])
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
        if isinstance(content, str):
            yield content


def fragments(text: str, *, whole_only: bool = False) -> Iterator[str]:
    """Yield the text and, unless `whole_only`, each clause long enough to mean something and
    each run of five words in it."""
    text = " ".join(str(text).split())
    if not text:
        return
    yield text
    if whole_only:
        return
    for part in _CLAUSE_BREAKS.split(text):
        clause = part.strip()
        if len(clause) < _SHORTEST_CLAUSE or clause.isdigit():
            continue
        yield clause
        words = clause.split()
        for start in range(len(words) - _RUN_OF_WORDS + 1):
            yield " ".join(words[start : start + _RUN_OF_WORDS])


def personal_data_in_emails(
    messages: Iterable[EmailMessage], forbidden: Iterable[str]
) -> list[str]:
    """Return a problem for each forbidden string found, as a whole word, in any email."""
    texts = [
        (index, " ".join(text.split()))
        for index, message in enumerate(messages)
        for text in email_texts(message)
    ]
    problems = []
    for value in set(forbidden):
        if not value.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(value.strip())}(?!\w)", re.IGNORECASE)
        problems.extend(
            f"email {index} holds {value!r}" for index, text in texts if pattern.search(text)
        )
    return sorted(problems)


def case_data_strings() -> set[str]:
    """Return every name, address, reference and case detail stored now (decrypted)."""
    from orderwatch.accounts.models import Agency, User
    from orderwatch.breaches.models import Breach, BreachedCondition
    from orderwatch.cases.models import Case, CasePerson
    from orderwatch.orders.models import AddressChange, Condition, Order, OrderChange
    from orderwatch.reminders.models import ExpiryDecision
    from orderwatch.safety.models import RiskAssessment, SafetyAction, SafetyMeasure, SafetyReview
    from orderwatch.sharing.models import Party, Share

    names: set[str] = set()
    for given, family, aliases in CasePerson.objects.values_list(
        "given_name", "family_name", "aliases"
    ):
        names.update([given, family, *(aliases or [])])
    names.update(Case.objects.values_list("reference", flat=True))
    # Account and agency emails (a set-up link, an authenticator reset) name nobody either.
    names.update(User.objects.values_list("display_name", flat=True))
    names.update(Agency.objects.values_list("name", flat=True))
    names.update(Order.objects.values_list("court_reference", flat=True))
    names.update(Breach.objects.values_list("police_reference", flat=True))
    names.update(Breach.objects.values_list("police_officer", flat=True))
    for name, role, organisation in Party.objects.values_list("name", "role", "organisation"):
        names.update([name, role, organisation])

    texts: list[str] = []
    texts += [a.reveal() for a in Case.objects.values_list("protected_address", flat=True)]
    texts += [a.reveal() for a in AddressChange.objects.values_list("previous_address", flat=True)]
    for place, wording, protects, exceptions in Condition.objects.values_list(
        "place", "wording", "protects", "exceptions"
    ):
        texts += [place.reveal(), wording, protects, exceptions]
    texts += OrderChange.objects.values_list("what_changed", flat=True)
    for row in Breach.objects.values_list(
        "what_happened",
        "witness_details",
        "reported_by_details",
        "location_details",
        "others_present_details",
        "other_agencies_details",
        "action_details",
        "not_reported_reason",
    ):
        texts += [row[0], row[1].reveal(), *row[2:]]
    texts += BreachedCondition.objects.values_list("how", flat=True)
    for contact in Party.objects.values_list("contact_details", flat=True):
        names.update(re.split(r"[,;\n]", contact.reveal()))  # an email address or phone, whole
    for row in Share.objects.values_list(
        "how_details", "purpose", "lawful_basis_details", "address_reason"
    ):
        texts += row
    for row in SafetyAction.objects.values_list("what", "who"):
        texts += row
    texts += SafetyMeasure.objects.values_list("details", flat=True)
    texts += SafetyReview.objects.values_list("what_changed", flat=True)
    texts += RiskAssessment.objects.values_list("reason", flat=True)
    texts += ExpiryDecision.objects.values_list("reason", flat=True)

    strings = {f for name in names for f in fragments(name, whole_only=True)}
    strings.update(f for text in texts for f in fragments(text))
    return strings
