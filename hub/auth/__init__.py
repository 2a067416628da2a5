"""OAuth 2: the hub as authorisation server for machine clients, and as resource server."""
