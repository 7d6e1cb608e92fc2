"""What the public pages read: headline figures, a page of candidacies, a profile, its history.

Plain functions over a Session: no request, no commit. One module per concern; the names the
views use are gathered here.
"""

from transparency.profiles.figures import Figures, headline_figures, listed_offices
from transparency.profiles.filters import (
    MAX_DISTRICT_OPTIONS,
    FilterOptions,
    districts_with_code,
    filter_options,
)
from transparency.profiles.history import (
    HIDDEN_DIFF_FIELDS,
    HISTORY_PER_PAGE,
    FieldChange,
    HistoryEntry,
    HistoryPage,
    revision_diff,
    revision_history,
)
from transparency.profiles.pages import (
    BALLOT_KEY,
    PER_PAGE,
    Page,
    PageIndex,
    candidacy_page,
    candidacy_rows,
    list_page,
    page_index,
)
from transparency.profiles.record import Profile, age_on, display_name, load_profile

__all__ = [
    "BALLOT_KEY",
    "HIDDEN_DIFF_FIELDS",
    "HISTORY_PER_PAGE",
    "MAX_DISTRICT_OPTIONS",
    "PER_PAGE",
    "FieldChange",
    "Figures",
    "FilterOptions",
    "HistoryEntry",
    "HistoryPage",
    "Page",
    "PageIndex",
    "Profile",
    "age_on",
    "candidacy_page",
    "candidacy_rows",
    "display_name",
    "districts_with_code",
    "filter_options",
    "headline_figures",
    "list_page",
    "listed_offices",
    "load_profile",
    "page_index",
    "revision_diff",
    "revision_history",
]
