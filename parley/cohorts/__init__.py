"""Workshop cohorts: membership, assignments, readiness, exports and the debrief."""
