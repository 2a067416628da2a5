"""Releases: the only way anything leaves the hub, and researchers' requests for them."""
