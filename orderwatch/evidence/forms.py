"""Evidence forms. They check types only; the services check what makes an item complete."""

from django import forms

from orderwatch.breaches.forms import BreachForm
from orderwatch.breaches.models import Breach
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.evidence.models import EvidenceItem

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


class EvidenceForm(forms.Form):
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
        label="Which breach is it evidence of?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the breach it is evidence of",
            "invalid_choice": "Select a breach recorded on this case",
        },
    )

    def __init__(self, *args, breaches: list[Breach], **kwargs):
        super().__init__(*args, **kwargs)
        self.breaches = {str(b.pk): b for b in breaches}
        self.fields["breach"].choices = [
            (key, f"{b.occurrence.label()}: {', '.join(b.behaviour_labels())}")
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
