"""The Qt layer that is not visual: the session (state, undo, signals) and the player (timing)."""
