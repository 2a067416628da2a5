"""Factories of linked data: demo partners' files pushed through the connector and API, then linked."""

from __future__ import annotations

from datetime import date

from connectors.oauth import TokenSource
from connectors.upload import push
from hub.auth.clients import token_endpoint
from hub.demo import generate_demo_data
from hub.linkage.service import link_pending
from tests.factories.auth import make_client, make_organisation

SECRET = b"linkage secret of the test partners"


def push_demo(client, session, tmp_path, *, partners: int = 3, persons: int = 80, seed: int = 3):
    """Every month of a small demo (the last quarter of last year, so all of it can be published),
    accepted and linked; the demo's summary."""
    last_year = date.today().year - 1
    months = [f"{last_year}-{month:02d}" for month in (10, 11, 12)]
    demo = generate_demo_data(tmp_path / "demo", partners=partners, persons=persons, months=months, seed=seed)
    for slug, paths in demo.partner_files.items():
        credentials = make_client(session, make_organisation(session, slug), ["submissions:write"])
        tokens = TokenSource(token_endpoint(), credentials["client_id"], client_secret=credentials["client_secret"])
        for path in paths:
            push(path, path.stem, mapping=demo.mapping_files[slug], http=client, tokens=tokens,
                 linkage_secret=SECRET, linkage_secret_version=1, on_invalid="skip", progress=False,
                 state_dir=tmp_path / "state")
    link_pending(session)
    return demo
