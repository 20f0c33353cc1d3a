"""Rasa input channels of this assistant."""
