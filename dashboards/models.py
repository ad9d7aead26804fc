# Goal figures, nightly snapshots and exports arrive with their own issue.
