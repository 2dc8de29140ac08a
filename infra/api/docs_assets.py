"""/docs (Swagger UI) and /redoc from files installed with the package: no CDN, works offline.

The JavaScript and CSS come from the `fastapi-offline` distribution; only its files are used.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"


def _assets_dir() -> Path:
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def install(app: FastAPI) -> None:
    """Call on an app created with docs_url=None and redoc_url=None."""
    app.mount(ASSETS_URL, StaticFiles(directory=_assets_dir()), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    redirect_url = "/docs/oauth2-redirect"

    def at(request: Request, path: str) -> str:
        return f"{request.scope.get('root_path', '')}{path}"

    @app.get("/docs", include_in_schema=False)
    def swagger(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=at(request, openapi_url),
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=at(request, redirect_url),
            swagger_js_url=at(request, f"{ASSETS_URL}/swagger-ui-bundle.js"),
            swagger_css_url=at(request, f"{ASSETS_URL}/swagger-ui.css"),
            swagger_favicon_url=at(request, f"{ASSETS_URL}/favicon.png"),
        )

    @app.get(redirect_url, include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        return get_redoc_html(
            openapi_url=at(request, openapi_url),
            title=f"{app.title} - ReDoc",
            redoc_js_url=at(request, f"{ASSETS_URL}/redoc.standalone.js"),
            redoc_favicon_url=at(request, f"{ASSETS_URL}/favicon.png"),
            with_google_fonts=False,
        )
