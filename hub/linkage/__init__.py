"""Linkage on the hub: re-keyed tokens of accepted records resolved into persons."""
