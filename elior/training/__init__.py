"""Training: the exercise library, workouts, and what the client logged."""
