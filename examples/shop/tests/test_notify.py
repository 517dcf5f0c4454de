from shop.models import LineItem, Order


async def test_receipt_lists_every_item(apple, pear):
    order = Order(7, "ada", [LineItem(apple, 2), LineItem(pear)])
    outbox = []
    assert await send_receipt_and_count(order, outbox) == 1
    assert outbox[0].splitlines() == ["Order #7 for ada", "- 2 x Apple", "- 1 x Pear"]


async def send_receipt_and_count(order, outbox):
    from shop.notify import send_receipt

    return await send_receipt(order, outbox)
