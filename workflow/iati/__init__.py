"""IATI 2.03 publication of the published Actions and the publishing organisation."""
