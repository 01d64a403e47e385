"""CSV exports of the filtered lists: what staff filter is what they export."""
