"""What an API client may be allowed to do: one scope per kind of record it writes, and one to
read. Pure data (no Django), so settings and forms read the same list."""

READ = "cases:read"

SCOPES: dict[str, str] = {
    READ: "Read the cases your agency works on, their patterns and the event feed",
    "cases:write": "Open cases and add people to them",
    "orders:write": "Record orders and their conditions, and vary, extend or discharge them",
    "breaches:write": "Record breaches and update their police reports",
    "sharing:write": "Record what was shared with the people who need to know",
    "evidence:write": "Add evidence items and their files",
}
