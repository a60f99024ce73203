"""Bookings (issue 19): session types, trainers' availability, free slots, appointments, packages and credits."""
