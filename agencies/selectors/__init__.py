"""Reads for the agencies pages: the home page, the disclosure register, the agency's access log, the refused
attempts on its records and its users' login lockouts.

One module per area; the package re-exports the functions the views call, as cases.selectors does.
"""

from .access_log import (
    MAX_PERSON_HITS,
    about_persons,
    access_log_entries,
    agency_users,
    persons_matching,
    start_of_day,
)
from .denied_access import denied_access_per_user
from .home import HomePage, ShareRow, home_page, recent_person_ids, shares_expiring, shares_made, shares_received
from .lockouts import Lockout, lockout_attempt, lockouts_for_agency
from .log_rows import LogRow, RecordRef, describe_rows
from .records import PERSON_LABEL, person_model, record_type_label
from .shares import share_for_agency, share_received

__all__ = [
    "HomePage",
    "Lockout",
    "LogRow",
    "PERSON_LABEL",
    "RecordRef",
    "ShareRow",
    "access_log_entries",
    "MAX_PERSON_HITS",
    "about_persons",
    "agency_users",
    "denied_access_per_user",
    "describe_rows",
    "home_page",
    "lockout_attempt",
    "lockouts_for_agency",
    "persons_matching",
    "person_model",
    "recent_person_ids",
    "record_type_label",
    "share_for_agency",
    "share_received",
    "shares_expiring",
    "shares_made",
    "shares_received",
    "start_of_day",
]
