"""Cursor pagination for every list: a client walks a list that changes under it without
skipping or repeating a row, asking for up to `MAX_PAGE_SIZE` rows at a time."""

from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 200


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("created_at", "id")
