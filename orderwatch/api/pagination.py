"""Cursor pagination for every list: a client walks a list that changes under it without
skipping or repeating a row, asking for up to `MAX_PAGE_SIZE` rows at a time."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 200


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("created_at", "id")

    def get_page_size(self, request) -> int:
        """The size asked for, refused (400) if it is not a whole number from 1 to the maximum,
        rather than quietly replaced."""
        sent = request.query_params.get(self.page_size_query_param)
        if sent is None:
            return self.page_size
        if not sent.isdigit() or not 1 <= int(sent) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(sent)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE}
        return parameters
