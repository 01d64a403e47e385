"""Calls for experts: an officer asks part of the roster and the focal points who is free for an activity."""
