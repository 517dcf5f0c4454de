from shop.orders import connect, create_order, find_order


def test_created_order_is_visible_to_other_connections(tmp_path):
    db = tmp_path / "shop.db"
    conn = connect(db)
    order_id = create_order(conn, "ada", "4.80")
    row = find_order(db, order_id)
    assert row is not None
    assert row[1] == "ada"


def test_order_ids_increase(tmp_path):
    db = tmp_path / "shop.db"
    conn = connect(db)
    first = create_order(conn, "ada", "1.00")
    second = create_order(conn, "bob", "2.00")
    assert second > first
