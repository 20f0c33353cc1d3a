"""Rasa NLU graph components of this assistant, loaded by module path from config.yml."""
