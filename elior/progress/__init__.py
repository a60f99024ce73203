"""Progress: body measurements over time, the summary and the CSV export."""
