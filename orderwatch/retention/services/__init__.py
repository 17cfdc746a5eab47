"""Writes of the retention app: legal holds and retention reviews (`holds`), and disposal of a
case's records (`disposal`)."""
