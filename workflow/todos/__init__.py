"""What needs each person now: their open to-dos, read from the domains' tables on every home page."""
