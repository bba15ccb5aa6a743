"""Workbooks typed by hand from the printed forms, as a city clerk types them (not written by cpsdk)."""
