from decimal import Decimal

import pytest

from shop.models import Product


@pytest.fixture
def apple():
    return Product("A1", "Apple", Decimal("0.50"))


@pytest.fixture
def pear():
    return Product("P1", "Pear", Decimal("0.75"))
