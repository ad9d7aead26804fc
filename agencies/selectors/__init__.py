"""Reads for the agencies pages: the home page, the disclosure register and the agency's access log.

One module per area; the package re-exports the functions the views call, as cases.selectors does.
"""

from .access_log import access_log_entries, access_log_rows, agency_users, start_of_day
from .home import HomePage, ShareRow, home_page, recent_person_ids, shares_made, shares_received
from .records import PERSON_LABEL, person_model, record_type_label
from .shares import share_for_agency

__all__ = [
    "HomePage",
    "PERSON_LABEL",
    "ShareRow",
    "access_log_entries",
    "access_log_rows",
    "agency_users",
    "home_page",
    "person_model",
    "recent_person_ids",
    "record_type_label",
    "share_for_agency",
    "shares_made",
    "shares_received",
    "start_of_day",
]
