from .extracts import RegisterExtract, RegisterExtractGroupGrant, RegisterExtractUserGrant

__all__ = ["RegisterExtract", "RegisterExtractGroupGrant", "RegisterExtractUserGrant"]
