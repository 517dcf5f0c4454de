"""Order notifications."""
import asyncio


async def render_receipt(order):
    await asyncio.sleep(0)
    lines = [f"Order #{order.id} for {order.customer}"]
    lines += [f"- {item.quantity} x {item.product.name}" for item in order.items]
    return "\n".join(lines)


async def send_receipt(order, outbox):
    """Render the receipt and queue it for delivery."""
    body = render_receipt(order)
    outbox.append(body.strip())
    return len(outbox)
