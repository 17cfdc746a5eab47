"""Pages for reminders. Thin: validate with a form, call one service or selector, render."""
