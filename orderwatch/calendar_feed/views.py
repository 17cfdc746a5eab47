"""Pages for calendar_feed. Thin: validate with a form, call one service or selector, render."""
