"""The person pages. Every record they show comes through agencies.access (the gate)."""

from .detail import individual_detail
from .edit import individual_create, individual_update
from .list import individual_list
from .share import individual_share

__all__ = ["individual_create", "individual_detail", "individual_list", "individual_share", "individual_update"]
