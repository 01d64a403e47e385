"""Privacy: the notice, consent records, the expert's data export, erasure and the retention rule."""
