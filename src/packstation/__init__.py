"""packstation: a terminal packing station for warehouses that work on orders in Omnium."""

__version__ = "0.1.0"
