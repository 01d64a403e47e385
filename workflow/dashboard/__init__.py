"""Portfolio figures for staff: per region, over time, by thematic area and by member state."""
