"""Domain operations for volunteers' submissions, their review, reverts and the audit log.

Functions here take objects, add and flush, and never commit: the view commits once.
"""
