"""People's pages: Jinja2 templates, the hub's own static files, sign-in and a page per role.

Every page is rendered from a template in ``templates/``; every script, style sheet and chart
library is served from ``static/`` (or, for Swagger UI, from the ``swagger-ui-bundle-v2``
package), so a browser on a network without the internet loads everything from the hub and
tells no third party who reads what.
"""
