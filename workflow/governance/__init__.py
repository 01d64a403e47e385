"""The Steering Committee: its members, its consultation on requests, and the decisions recorded on them."""
