"""Journalists' exports: pure row builders and writers, the streamed query, Popolo, feeds.

`rows` and `writers` are plain functions over plain data (no app, no database); `records`
turns a filtered candidacy query into plain records in batches; `popolo` and `changes`
build the other documents from the same records.
"""
