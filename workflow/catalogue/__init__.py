"""The public face: published Actions, their pages, the regional figures and the map."""
