"""Plain data types shared by the shop modules."""
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Product:
    sku: str
    name: str
    price: Decimal


@dataclass
class LineItem:
    product: Product
    quantity: int = 1

    @property
    def subtotal(self) -> Decimal:
        return self.product.price * self.quantity


@dataclass
class Order:
    id: int
    customer: str
    items: list = field(default_factory=list)
