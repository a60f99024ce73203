"""The API reference: /openapi.json is a valid OpenAPI 3.1 document that says what the routes do, a client generated
from it works against a real server, and /docs (the pinned Swagger UI) reads it and tries calls under the app's CSP."""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import io
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from elior.app import create_app
from elior.paths import STATIC_DIR
from elior.settings import Settings
from elior.web import openapi
from elior.web.responses import JSONResponse
from elior.web.routing import PUBLIC, EndpointSpec, api, template
from elior.web.schema import Schema, Str
from tests import samples, spa_support
from tests.helpers import PASSWORD, assert_error, make_person
from tests.live_server import Server, environment, signed_in_user, start
from tests.spa_support import launch, missing_browser, photo_jpeg, watch_console

VENDOR = STATIC_DIR / "vendor" / "swagger-ui"
METRICS_TOKEN = "scraper-token-0123456789"


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def specs(client: TestClient) -> Iterator[tuple[str, EndpointSpec]]:
    for route in client.app.routes:  # type: ignore[attr-defined]
        spec = getattr(route, "spec", None)
        if spec is not None:
            yield route.path, spec


def test_document_passes_the_openapi_validator(document: dict[str, Any]) -> None:
    validate(document)  # raises on any violation of the OpenAPI 3.1 schema
    assert document["openapi"] == "3.1.0"


def test_every_api_operation_documents_its_429_with_retry_after(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        if path.startswith("/api/"):
            answer = operation["responses"].get("429")
            assert answer is not None, f"{method} {path}"
            assert answer["headers"]["Retry-After"]["required"] is True


def test_every_error_answer_has_the_envelope(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                schema = answer["content"]["application/json"]["schema"]["$ref"]
                assert schema == f"#/components/schemas/{'ValidationError' if status == '422' else 'Error'}"
    assert document["components"]["schemas"]["Error"]["required"] == ["error", "detail", "status_code"]


def test_paths_have_no_converters_and_ids_are_bounded(document: dict[str, Any]) -> None:
    assert "/api/workouts/{id}" in document["paths"] and not any(":" in path for path in document["paths"])
    (param,) = document["paths"]["/api/workouts/{id}"]["get"]["parameters"]
    assert param["schema"] == {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2 ** 63 - 1}
    assert template("/api/meal-plans/{id:int}/entries/{entry_id:int}") == "/api/meal-plans/{id}/entries/{entry_id}"
    assert template("/api/files/{filename}") == "/api/files/{filename}"
    assert template("/{path:path}") == "/{path}"


def test_request_schemas_carry_types_limits_enums_formats(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    workout = schemas["WorkoutCreate"]
    assert set(workout["required"]) >= {"client_id", "title", "scheduled_for"}
    assert workout["properties"]["title"]["maxLength"] == 200
    assert workout["properties"]["scheduled_for"]["format"] == "date"
    assert schemas["Register"]["properties"]["email"]["format"] == "email"
    query = {p["name"]: p for p in document["paths"]["/api/workouts"]["get"]["parameters"]}
    assert query["limit"]["schema"]["maximum"] == 100 and query["limit"]["schema"]["default"] == 20
    assert query["status"]["schema"]["enum"] == ["planned", "completed", "skipped"]


def test_every_body_example_passes_its_own_schema(client: TestClient, document: dict[str, Any]) -> None:
    checked = 0
    for _, spec in specs(client):
        for schema in [spec.body, *(s for media, s in spec.forms.items() if media != "multipart/form-data")]:
            if schema is not None:
                schema.validate(schema.example())  # raises ValidationError listing what is wrong
                checked += 1
    assert checked > 20
    login = document["paths"]["/api/auth/login"]["post"]["requestBody"]["content"]["application/json"]
    assert set(login["example"]) == {"email", "password"} and login["example"]["email"] == "client@example.com"


def test_the_form_encoded_login_is_documented_and_works(client: TestClient, document: dict[str, Any]) -> None:
    content = document["paths"]["/api/auth/login"]["post"]["requestBody"]["content"]
    assert set(content) == {"application/json", "application/x-www-form-urlencoded"}
    form = document["components"]["schemas"]["LoginForm"]
    assert form["required"] == ["username", "password"] and form["properties"]["grant_type"]["enum"] == ["password"]
    person = make_person(client, "client")
    answer = client.post("/api/auth/login", data={"username": person.email, "password": PASSWORD,
                                                  "grant_type": "password", "scope": ""})
    assert answer.status_code == 200 and answer.json()["token_type"] == "bearer"
    assert document["components"]["securitySchemes"]["password"]["flows"]["password"]["tokenUrl"] == \
        "/api/auth/login"


def test_the_upload_is_a_multipart_form_with_a_file(document: dict[str, Any]) -> None:
    body = document["paths"]["/api/files/upload"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    upload = document["components"]["schemas"]["FileUpload"]
    assert upload["properties"]["file"]["format"] == "binary" and set(upload["required"]) == {"file", "purpose"}
    assert upload["properties"]["purpose"]["enum"] == ["progress_photo", "meal_photo", "avatar", "document"]


def test_metrics_is_labelled_and_guarded_as_admin_or_metrics_token(settings: Settings) -> None:
    app = create_app(dataclasses.replace(settings, metrics_token=METRICS_TOKEN))
    with TestClient(app, raise_server_exceptions=False) as client:
        operation = client.get("/openapi.json").json()["paths"]["/metrics"]["get"]
        assert {"metricsToken": []} in operation["security"] and {"bearer": []} in operation["security"]
        assert "METRICS_TOKEN" in operation["description"] and {"401", "403"} <= set(operation["responses"])
        assert_error(client.get("/metrics"), 401)
        assert_error(client.get("/metrics", headers={"Authorization": "Bearer not-the-token"}), 401)
        assert_error(client.get("/metrics", headers=make_person(client, "trainer").headers), 403)
        assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200
        assert client.get("/metrics", headers=make_person(client, "admin").headers).status_code == 200


def test_public_operations_have_no_security_and_others_do(document: dict[str, Any]) -> None:
    assert "security" not in document["paths"]["/health"]["get"]
    assert {"bearer": []} in document["paths"]["/api/auth/me"]["get"]["security"]
    assert document["paths"]["/api/system/logs"]["get"]["x-roles"] == ["admin"]  # machine-readable, for the fuzzer


def test_two_schemas_of_one_name_are_refused() -> None:
    async def endpoint(call: Any) -> JSONResponse:
        return JSONResponse({})

    routes = [api("POST", path, endpoint, access=PUBLIC, body=Schema("Same", {name: Str()}))
              for path, name in (("/a", "x"), ("/b", "y"))]
    with pytest.raises(ValueError, match="Same"):
        openapi.build(routes)


def test_vendored_swagger_ui_is_the_pinned_release_unchanged() -> None:
    readme = (VENDOR / "README.md").read_text()
    version = re.search(r"swagger-ui-dist@(5\.\d+\.\d+)", readme)
    assert version is not None
    assert f'"{version.group(1)}"' in (VENDOR / "swagger-ui-bundle.js").read_text()  # the bundle names its version
    listed = dict(line.split("  ")[::-1] for line in readme.splitlines() if re.fullmatch(r"[0-9a-f]{64}  \S+", line))
    assert set(listed) == {"swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"}
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name


def test_docs_page_loads_only_this_servers_files_and_no_inline_script(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert re.search(r"<script>|<script [^>]*>[^<]", page.text) is None  # every script has a src, none inline
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js").headers["content-type"].startswith(
        ("text/javascript", "application/javascript"))


# --- against a real server process ---

@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp("openapi")
    url = f"sqlite:///{folder / 'elior.db'}"
    _, token = signed_in_user(url, "trainer")
    server = start(environment(url, folder), folder / "server.log")
    try:
        yield server, token
    finally:
        server.terminate()


@pytest.mark.slow
def test_a_generated_client_works_against_the_server(live: tuple[Server, str], tmp_path: Path) -> None:
    server, token = live
    (tmp_path / "openapi.json").write_bytes(httpx.get(f"{server.base_url}/openapi.json", timeout=10).content)
    generated = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", "openapi.json"],
                               cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    # Its one warning: a file's answer is bytes of one of several image types, which it leaves to the caller.
    warnings = re.findall(r"WARNING parsing (\S+ \S+)", generated.stdout)
    assert set(warnings) <= {"GET /api/files/{filename}"}, generated.stdout
    sys.path.insert(0, str(tmp_path / "elior-client"))
    try:
        client_module = importlib.import_module("elior_client")
        auth = importlib.import_module("elior_client.api.auth.get_api_auth_me")
        health = importlib.import_module("elior_client.api.system.get_health")
        upload = importlib.import_module("elior_client.api.files.post_api_files_upload")
        models = importlib.import_module("elior_client.models")
        types = importlib.import_module("elior_client.types")
        with client_module.Client(base_url=server.base_url) as anonymous, \
                client_module.AuthenticatedClient(base_url=server.base_url, token=token) as signed_in:
            assert health.sync(client=anonymous).status.value == "ok"
            me = auth.sync(client=signed_in)
            assert me.role.value == "trainer" and me.email.endswith("@example.test")
            photo = types.File(payload=io.BytesIO(samples.png()), file_name="me.png", mime_type="image/png")
            stored = upload.sync(client=signed_in, body=models.FileUpload(
                purpose=models.FileUploadPurpose.AVATAR, file=photo))
            assert isinstance(stored, models.File) and stored.content_type == "image/png"
            assert anonymous.get_httpx_client().get(stored.url).status_code == 200  # the signed URL serves it
    finally:
        sys.path.remove(str(tmp_path / "elior-client"))
        for name in [name for name in sys.modules if name == "elior_client" or name.startswith("elior_client.")]:
            del sys.modules[name]


def _try(page: Any, operation_id: str) -> tuple[str, str]:
    """Press Execute on one operation of the page; its live answer's status and body."""
    operation = page.locator(f"#operations-{operation_id}")
    operation.locator("button.execute").click()
    status = operation.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    return status.inner_text().strip(), operation.locator(".live-responses-table .microlight").first.inner_text()


def _every_operation_drawn(page: Any) -> set[str]:
    """The operation ids Swagger UI draws, scrolling down the page: past ~150 operations it draws only the ones on
    screen (its list is virtualised), so counting the page's operation blocks at one moment would see a screenful."""
    seen: set[str] = set()
    unchanged = 0
    while unchanged < 5:
        ids = page.eval_on_selector_all(".opblock[id^='operations-']", "blocks => blocks.map(b => b.id)")
        before = len(seen)
        seen |= {block_id.rsplit("-", 1)[1] for block_id in ids}  # operations-<tag>-<operationId>
        unchanged = unchanged + 1 if len(seen) == before else 0
        page.mouse.wheel(0, 700)
        page.wait_for_timeout(60)
    page.mouse.wheel(0, -10 ** 6)
    return seen


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))
def test_docs_signs_in_and_tries_a_json_body_and_an_upload_under_the_csp(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    server = spa_support.Server().start()
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            problems: list[str] = []
            watch_console(page, problems)  # CSP violations are console errors
            page.goto(f"{server.url}/docs")
            page.wait_for_selector(".opblock")
            expected = {op["operationId"] for _, _, op in operations(httpx.get(f"{server.url}/openapi.json",
                                                                                timeout=10).json())}
            assert _every_operation_drawn(page) == expected
            # A pasted access token (the bearer scheme) ...
            token = spa_support.Api(server, spa_support.ADMIN_EMAIL, spa_support.ADMIN_PASSWORD).http.headers[
                "Authorization"].removeprefix("Bearer ")
            page.click("button.authorize")
            bearer = page.locator(".auth-container").filter(has=page.locator("h4", has_text=re.compile("^bearer")))
            bearer.locator("input").fill(token)
            bearer.locator("button.authorize").click()
            page.click("button.close-modal")
            page.locator("#operations-auth-getApiAuthMe .opblock-summary").click()
            status, body = _try(page, "auth-getApiAuthMe")
            assert status == "200" and spa_support.ADMIN_EMAIL in body
            # ... or a sign-in through the OAuth2 password flow: the form-encoded login.
            page.click("button.authorize")
            bearer.locator("button", has_text="Logout").click()
            page.fill("#oauth_username", spa_support.ADMIN_EMAIL)
            page.fill("#oauth_password", spa_support.ADMIN_PASSWORD)
            password = page.locator(".auth-container").filter(has=page.locator("h4", has_text=re.compile("^password")))
            password.locator("button.authorize").click()
            password.locator("button", has_text="Logout").wait_for()  # shown once signed in
            page.click("button.close-modal")
            status, body = _try(page, "auth-getApiAuthMe")
            assert status == "200" and spa_support.ADMIN_EMAIL in body
            # A JSON body, edited in the page (the filter box brings the tag's operations on screen).
            page.fill(".operation-filter-input", "exercises")
            page.locator("#operations-exercises-postApiExercises .opblock-summary").click()
            page.locator("#operations-exercises-postApiExercises textarea.body-param__text").fill(
                '{"name": "Goblet squat", "muscle_group": "legs"}')
            status, body = _try(page, "exercises-postApiExercises")
            assert status == "201" and "Goblet squat" in body
            # The multipart upload: a photo file chosen in the page.
            photo = tmp_path / "avatar.jpg"
            photo.write_bytes(photo_jpeg(page, "docs", "#3a6"))
            page.fill(".operation-filter-input", "files")
            upload = page.locator("#operations-files-postApiFilesUpload")
            upload.locator(".opblock-summary").click()
            upload.locator("input[type=file]").set_input_files(str(photo))
            upload.locator("tr[data-property-name=purpose] select").select_option("avatar")
            upload.locator("tr[data-property-name=client_id] input[type=text]").fill("")
            status, body = _try(page, "files-postApiFilesUpload")
            assert status == "201" and '"content_type": "image/jpeg"' in body
            browser.close()
        assert problems == []
    finally:
        server.stop()
