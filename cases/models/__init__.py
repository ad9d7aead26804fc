from .district import District
from .individual import (
    IdentityDetails,
    IdentityDetailsGroupGrant,
    IdentityDetailsUserGrant,
    Individual,
    IndividualGroupGrant,
    IndividualUserGrant,
)

__all__ = [
    "District",
    "IdentityDetails",
    "IdentityDetailsGroupGrant",
    "IdentityDetailsUserGrant",
    "Individual",
    "IndividualGroupGrant",
    "IndividualUserGrant",
]
