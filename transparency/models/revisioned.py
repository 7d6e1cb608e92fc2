"""The marker for public data: every change to a Revisioned row is recorded as a Revision."""


class Revisioned:
    """Rows of these classes are public data. See transparency.revisions for the recording."""

    def revision_scope(self) -> tuple[int | None, int | None]:
        """(person_id, candidacy_id) this row belongs to, for a profile's history."""
        return None, None
