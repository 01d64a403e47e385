"""The audit trail: every change to the tracked records, and the security events, in one log."""
