#!/usr/bin/env python3
"""Keeps writing to a SQLite database in WAL mode until told to stop.

  sqlite_writer.py DB READY_FILE STOP_FILE

Commits 200 rows, writes "200" to READY_FILE, then commits one row every few
milliseconds until STOP_FILE exists. Automatic checkpoints are off, so the
rows live in the -wal file: a plain copy of DB alone would not contain them.
"""
import os
import sqlite3
import sys
import time

db, ready, stop = sys.argv[1:]
conn = sqlite3.connect(db, isolation_level=None, timeout=10)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA wal_autocheckpoint=0")
conn.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
conn.execute("BEGIN")
for i in range(200):
    conn.execute("INSERT INTO events (body) VALUES (?)", (f"row {i} " + "x" * 200,))
conn.execute("COMMIT")
with open(ready + ".tmp", "w") as f:
    f.write("200")
os.replace(ready + ".tmp", ready)
deadline = time.time() + 900
while not os.path.exists(stop) and time.time() < deadline:
    conn.execute("INSERT INTO events (body) VALUES (?)", ("more " + "y" * 200,))
    time.sleep(0.003)
conn.close()
