"""Participant evaluations of delivered activities, work history and the officers' deployment ratings."""
