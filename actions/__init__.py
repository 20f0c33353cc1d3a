"""The Rasa action server: custom actions for the Ship to Store missing-item assistant."""
