"""Indicators: one module per question (structure, long-term, foreign-language, skills, KPI)."""
