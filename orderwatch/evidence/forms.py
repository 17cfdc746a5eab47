"""Evidence forms. They check types only; the services check what makes an item complete."""

from django import forms

from orderwatch.breaches.forms import YES_NO, BreachForm
from orderwatch.breaches.models import Behaviour, Breach
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.evidence.models import EvidenceIncident, EvidenceItem

# When it happened is asked exactly as on the breach form, so both read and store it alike.
_WHEN = ("happened_precision", "happened_on", "happened_at_time", "happened_until")


class FileInput(forms.FileInput):
    """A file input that takes several files (named so the GOV.UK tags style it as one)."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Zero or more uploaded files; the service decides whether the kind needs one."""

    widget = FileInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None) -> list:
        return [super(FilesField, self).clean(file, initial) for file in data or [] if file]


class EvidenceForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What kind of evidence is it?",
        choices=EvidenceItem.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what kind of evidence it is",
            "invalid_choice": "Select what kind of evidence it is",
        },
    )
    happened_precision = BreachForm.base_fields["happened_precision"]
    happened_on = BreachForm.base_fields["happened_on"]
    happened_at_time = BreachForm.base_fields["happened_at_time"]
    happened_until = BreachForm.base_fields["happened_until"]
    description = forms.CharField(
        label="Describe the evidence",
        help_text="What it shows or says, and where it came from. For a note, the note itself.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter a description of the evidence"},
    )
    # Last, so the other answers arrive first and are kept if an upload is stopped part-way.
    files = FilesField(
        label="Upload files",
        help_text="Photos, screenshots, audio, video or PDF documents. You can select more than "
        "one. The originals are kept exactly as they are, encrypted.",
        error_messages={"empty": "The selected file is empty"},
    )

    def when_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in _WHEN]

    def occurrence(self) -> Occurrence:
        data = self.cleaned_data
        return Occurrence(
            Precision(data["happened_precision"]),
            data["happened_on"],
            data.get("happened_at_time"),
            data.get("happened_until"),
        )


class BreachLinkForm(forms.Form):
    breach = forms.ChoiceField(
        label="Which breach or incident is it evidence of?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the breach or incident it is evidence of",
            "invalid_choice": "Select a breach or incident recorded on this case",
        },
    )

    def __init__(self, *args, breaches: list[Breach], **kwargs):
        super().__init__(*args, **kwargs)
        self.breaches = {str(b.pk): b for b in breaches}
        self.fields["breach"].choices = [
            (key, f"{b.heading}: {', '.join(b.behaviour_labels())}")
            for key, b in self.breaches.items()
        ]

    def chosen(self) -> Breach:
        return self.breaches[self.cleaned_data["breach"]]


class RemovalForm(forms.Form):
    reason = forms.CharField(
        label="Why is it being removed?",
        help_text="For example, it was added to the wrong case. This is kept on the record "
        "with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the item is being removed"},
    )


NOT_RATED = "not_rated"


class IncidentForm(forms.Form):
    """Whether an item records an incident and, if it does, what kind and how serious."""

    is_incident = forms.ChoiceField(
        label="Does this item record an incident?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Incidents are counted in the case's pattern of incidents, which helps show "
        "whether things are escalating.",
        error_messages={
            "required": "Select whether this item records an incident",
            "invalid_choice": "Select whether this item records an incident",
        },
    )
    # Asked as on the breach form, so both are counted alike.
    behaviours = forms.MultipleChoiceField(
        label="What kind of behaviour was it?",
        choices=Behaviour.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="If it records an incident. Select all that apply.",
        error_messages={"invalid_choice": "Select kinds of behaviour from the list"},
    )
    severity = forms.ChoiceField(
        label="How serious was it?",
        choices=[(str(value), label) for value, label in Breach.Severity.choices]
        + [(NOT_RATED, "Not rated")],
        widget=forms.RadioSelect,
        required=False,
        help_text="If it records an incident. Your professional judgement, or Not rated.",
        error_messages={"invalid_choice": "Select how serious it was, or Not rated"},
    )

    @classmethod
    def initial_for(cls, incident: EvidenceIncident | None) -> dict:
        """Return the answers that show an item's current judgement, if it has one."""
        if incident is None:
            return {}
        return {
            "is_incident": "yes",
            "behaviours": incident.behaviours,
            "severity": str(incident.severity) if incident.severity else NOT_RATED,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_incident") == "yes":
            # Both questions need an answer, so both messages show at once.
            if not cleaned.get("behaviours") and "behaviours" not in self.errors:
                self.add_error("behaviours", "Select at least one kind of behaviour")
            if not cleaned.get("severity") and "severity" not in self.errors:
                self.add_error("severity", "Select how serious it was, or Not rated")
        return cleaned

    def records_incident(self) -> bool:
        return self.cleaned_data["is_incident"] == "yes"

    def chosen_severity(self) -> int | None:
        value = self.cleaned_data["severity"]
        return None if value == NOT_RATED else int(value)
