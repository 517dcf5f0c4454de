"""Order persistence on sqlite3."""
import sqlite3


def connect(path):
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total TEXT NOT NULL)"
    )
    conn.commit()
    return conn


def create_order(conn, customer, total):
    """Store an order and return its id."""
    cur = conn.execute("INSERT INTO orders (customer, total) VALUES (?, ?)", (customer, str(total)))
    return cur.lastrowid


def find_order(path, order_id):
    """Look an order up through a fresh connection, as another process would."""
    with sqlite3.connect(path) as other:
        row = other.execute("SELECT id, customer, total FROM orders WHERE id = ?", (order_id,)).fetchone()
    return row
