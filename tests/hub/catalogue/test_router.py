"""The public routes describe the hub and its schema, and nothing submitted."""

from __future__ import annotations


class TestSchema:
    def test_serves_fields_with_their_class_and_enumerations(self, client):
        body = client.get("/v1/schemas/case-v1").json()
        classes = {f["name"]: f["class"] for f in body["fields"]}
        assert classes["given_name"] == "identifier" and classes["notes"] == "free_text"
        assert {"value": "NPL", "label": "Nepal"} in body["enumerations"]["country"]
        assert "age_band" in [f["name"] for f in body["upload_fields"]]

    def test_unknown_schema_is_404(self, client):
        response = client.get("/v1/schemas/case-v9")
        assert response.status_code == 404
        assert response.json()["error"] == "NotFound"


class TestLanding:
    def test_is_a_page_that_links_the_docs_and_lists_the_fields(self, client):
        response = client.get("/")
        assert response.headers["content-type"].startswith("text/html")
        assert 'href="/docs"' in response.text and "<code>date_of_birth</code>" in response.text
