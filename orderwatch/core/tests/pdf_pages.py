"""Where a PDF prints its protective marking, page by page (ADR 0029)."""

import io

from pypdf import PdfReader

# A line of text sits within this fraction of the page's height from its top or bottom edge.
EDGE = 0.1


def marking_places(pdf: bytes, marking: str) -> list[set[str]]:
    """Return, page by page, where `marking` is printed: "top", "bottom" or "body"."""
    places = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        height = float(page.mediabox.height)
        found: set[str] = set()

        def visit(text, cm, tm, font, size, height=height, found=found):
            if text.strip() != marking:
                return
            y = cm[5] + tm[5] * cm[3]
            if y > height * (1 - EDGE):
                found.add("top")
            elif y < height * EDGE:
                found.add("bottom")
            else:
                found.add("body")

        page.extract_text(visitor_text=visit)
        places.append(found)
    return places
