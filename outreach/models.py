# Call-ins, custom notifications and enforcement responses arrive with their own issue.
