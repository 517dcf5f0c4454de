"""A shopping cart."""
from decimal import Decimal

from shop.models import LineItem, Product


class Cart:
    def __init__(self):
        self.items = []

    def add(self, product: Product, quantity: int = 1) -> None:
        for item in self.items:
            if item.product.sku == product.sku:
                item.quantity += quantity
                return
        self.items.append(LineItem(product, quantity))

    def count(self) -> int:
        return sum(item.quantity for item in self.itmes)

    def subtotal(self) -> Decimal:
        return sum((item.subtotal for item in self.items), Decimal("0"))
