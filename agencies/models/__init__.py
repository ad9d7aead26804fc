from .agency import Agency, Membership, Role
from .audit import AccessLogEntry, AccessLogTarget, Action, AppendOnlyError, DeniedAccess, Via
from .log_review import LogReview, LogReviewItem, LogReviewReminder, LogReviewVerdict, ReviewRule, VerdictChoice
from .protection import GroupGrant, ProtectedModel, UserGrant
from .seen import SeenShare
from .share import LegalBasis, Share, ShareBundle, ShareLevel
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
    "LogReview",
    "LogReviewItem",
    "LogReviewReminder",
    "LogReviewVerdict",
    "Membership",
    "ProtectedModel",
    "Role",
    "ReviewRule",
    "SeenShare",
    "Share",
    "ShareBundle",
    "ShareLevel",
    "UserGrant",
    "VerdictChoice",
    "Via",
]
