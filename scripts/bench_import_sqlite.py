#!/usr/bin/env python3
"""The reference for `kehu bench-import`: the same customer file loaded into SQLite by
Python's sqlite3 in one transaction, with the indexes Kehu's store keeps on customers and
contacts (the duplicate keys), and a lookup of every row's keys first, as the dry run does.
Prints rows per second."""

import csv
import os
import re
import sqlite3
import sys
import tempfile
import time


def phone_key(p):
    digits = re.sub(r"\D", "", p)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def main(path):
    started = time.perf_counter()
    db_path = os.path.join(tempfile.mkdtemp(), "reference.db")
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, name_key TEXT, phone TEXT, phone_key TEXT, email TEXT, email_key TEXT, credit_code TEXT, credit_code_key TEXT, industry TEXT, region TEXT, source TEXT, tags TEXT, notes TEXT, owner TEXT, created_at TEXT)")
    db.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, customer INTEGER, name TEXT, title TEXT, phone TEXT, phone_key TEXT, birthday TEXT)")
    db.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, kind TEXT, customer INTEGER, at TEXT, changes TEXT)")
    for table, column in [("customer", "name_key"), ("customer", "phone_key"), ("customer", "email_key"), ("customer", "credit_code_key"), ("customer", "owner"), ("contact", "customer"), ("contact", "phone_key"), ("event", "customer")]:
        db.execute(f"CREATE INDEX {table}_{column} ON {table} ({column})")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))[1:]
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ")
    with db:
        for r in rows:
            name_key = re.sub(r"(有限责任公司|股份有限公司|有限公司|集团)$", "", r[0])
            found = db.execute("SELECT id FROM customer WHERE phone_key = ? OR credit_code_key = ? OR name_key = ? LIMIT 1", (phone_key(r[1]), r[3], name_key)).fetchone()
            if found:
                continue
            cur = db.execute(
                "INSERT INTO customer (name, name_key, phone, phone_key, email, email_key, credit_code, credit_code_key, industry, region, source, tags, notes, owner, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (r[0], name_key, r[1], phone_key(r[1]), r[2], r[2].lower(), r[3], r[3], r[4], r[5], r[6], r[7], r[12], "bench", now),
            )
            db.execute("INSERT INTO contact (customer, name, title, phone, phone_key, birthday) VALUES (?,?,?,?,?,?)", (cur.lastrowid, r[8], r[9], r[10], phone_key(r[10]), r[11]))
            db.execute("INSERT INTO event (kind, customer, at, changes) VALUES ('customer_created', ?, ?, ?)", (cur.lastrowid, now, r[0]))
    secs = time.perf_counter() - started
    print(f"SQLite reference (Python):   {secs:7.2f} s  {len(rows) / secs:8.0f} rows/s  (same file, one transaction, same indexes)")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1])
