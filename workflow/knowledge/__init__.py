"""Knowledge work across Actions: programme-level knowledge-sharing events and the good-practices library."""
