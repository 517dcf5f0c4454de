"""A tiny order-taking service used to demonstrate redgreen."""
