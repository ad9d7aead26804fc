from .agency import Agency, Membership, Role
from .audit import AccessLogEntry, AccessLogTarget, Action, AppendOnlyError, DeniedAccess, Via
from .protection import GroupGrant, ProtectedModel, UserGrant
from .seen import SeenShare
from .share import LegalBasis, Share, ShareLevel
from .token import ApiToken

__all__ = [
    "AccessLogEntry",
    "AccessLogTarget",
    "Action",
    "Agency",
    "ApiToken",
    "AppendOnlyError",
    "DeniedAccess",
    "GroupGrant",
    "LegalBasis",
    "Membership",
    "ProtectedModel",
    "Role",
    "SeenShare",
    "Share",
    "ShareLevel",
    "UserGrant",
    "Via",
]
