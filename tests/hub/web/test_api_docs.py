"""/docs is Swagger UI served by the hub itself: no CDN, no external URL, the OAuth flow described."""

from __future__ import annotations

import re

ATTRIBUTE_URLS = re.compile(r'(?:src|href)="([^"]+)"')


def test_docs_loads_nothing_from_outside_the_hub(client):
    page = client.get("/docs").text
    urls = ATTRIBUTE_URLS.findall(page)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert not re.search(r"https?://|//[a-z]", page)
    for url in urls:
        if url.startswith("/"):
            assert client.get(url).status_code == 200, url


def test_docs_starts_swagger_without_inline_script_and_without_the_external_validator(client):
    page = client.get("/docs").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    init = client.get("/static/web/swagger-init.js").text
    assert "validatorUrl: null" in init


def test_the_oauth_redirect_page_is_local_too(client):
    page = client.get("/docs/oauth2-redirect").text
    assert "/static/swagger-ui/oauth2-redirect.js" in page and not re.search(r"https?://", page)


def test_the_api_description_offers_the_client_credentials_flow(client):
    schema = client.get("/openapi.json").json()
    flow = schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"].endswith("/oauth/token") and "reports:read" in flow["scopes"]
    assert "oauth2" in schema["paths"]["/v1/submissions"]["post"]["security"][0]
    assert "security" not in schema["paths"]["/v1/schemas/{schema_id}"]["get"]


def test_the_default_cdn_pages_are_gone(client):
    assert client.get("/redoc").status_code == 404


def test_the_privacy_document_is_rendered_from_markdown(client):
    page = client.get("/privacy").text
    assert "<h1>What the hub&#39;s numbers protect, in plain words</h1>" in page or \
        "<h1>What the hub's numbers protect, in plain words</h1>" in page
    assert "<em>differential" in page and "**" not in page
