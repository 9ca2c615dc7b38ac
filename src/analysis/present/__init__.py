"""Presentation: number formats, Finnish/Swedish text, disclosure control, tables and charts as HTML."""
