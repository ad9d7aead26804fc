"""The agencies pages: login and logout, the home page, the lead's access log, revoking a share."""
