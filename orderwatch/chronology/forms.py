"""The chronology filter: which kinds of entry to show. None chosen means every kind."""

from django import forms

from orderwatch.chronology.timeline import KIND_LABELS, Kind


class ChronologyFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label="Show",
        choices=[(kind.value, KIND_LABELS[kind]) for kind in Kind],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Select none to see everything.",
        error_messages={"invalid_choice": "Select what to show from the list"},
    )

    def kinds(self) -> set[Kind]:
        """Return the chosen kinds, or none (every kind) if the choice was not valid."""
        if not self.is_valid():
            return set()
        return {Kind(value) for value in self.cleaned_data["kind"]}
