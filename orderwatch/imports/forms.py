from django import forms

from orderwatch.core.submissions import OnceOnlyForm


class ImportFileForm(forms.Form):
    file = forms.FileField(
        label="Upload the file",
        help_text="A CSV file saved as UTF-8, made from the template",
        error_messages={
            "required": "Select the CSV file to import",
            "empty": "The selected file is empty",
        },
    )


class ImportConfirmForm(OnceOnlyForm):
    """The check page's button: carries the one-time key kept with the file."""
