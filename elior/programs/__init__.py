"""Programs: a trainer's reusable plan of weeks x days, assigned to many clients at once; the calendar and its iCal
feed; compliance and the attention queue; the queue of meal entries waiting for review (issue 15)."""
