"""The Kubernetes manifests in infra/deploy/k8s: assembled as kustomize would, every resource
checked against a schema offline (Kubernetes kinds by kubernetes-validate, the operators' kinds
by the subset schemas in k8s/crd-schemas), and wired to the code they deploy."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import schema_contents
from referencing import Registry, Resource

from infra import deploy_topics, worker
from infra.settings import Settings
from processors.llm.options import OpenAIOptions
from schemas.topics import CATALOGUE, topic
from streams.health import HEALTH_FILE

DEPLOY = Path(__file__).resolve().parents[2] / "infra" / "deploy"
BASE = DEPLOY / "k8s" / "base"
CRD_SCHEMAS = DEPLOY / "k8s" / "crd-schemas"
K8S_VERSION = "1.37.0"
K8S_DEFINITIONS = "https://kubernetes.io/api/_definitions.json"


def assemble(root: Path) -> list[dict[str, Any]]:
    """The documents `kustomize build root` starts from: every resource file, recursively; the
    files a generator reads must exist too. Fails on a reference to a missing file."""
    kustomization = yaml.safe_load((root / "kustomization.yaml").read_text())
    docs: list[dict[str, Any]] = []
    for entry in kustomization.get("resources", []):
        path = root / entry
        assert path.exists(), f"{root.name}/kustomization.yaml lists {entry}, which does not exist"
        if path.is_dir():
            docs += assemble(path)
        else:
            docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    for generator in kustomization.get("configMapGenerator", []) + kustomization.get("secretGenerator", []):
        for name in generator.get("files", []):
            source = name.split("=", 1)[-1]
            assert (root / source).is_file(), f"generator {generator['name']} reads missing {source}"
    return docs


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return assemble(BASE)


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def crd_validators() -> dict[tuple[str, str], jsonschema.Draft202012Validator]:
    definitions = schema_contents(
        f"kubernetes-json-schema/v{K8S_VERSION}-local-strict/_definitions.json", K8S_VERSION
    )
    registry: Registry = Resource.from_contents(definitions) @ Registry()
    validators = {}
    for path in sorted(CRD_SCHEMAS.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text())
        jsonschema.Draft202012Validator.check_schema(spec["schema"])
        validators[(spec["apiVersion"], spec["kind"])] = jsonschema.Draft202012Validator(
            spec["schema"], registry=registry
        )
    return validators


VALIDATORS = crd_validators()


def validate(doc: dict[str, Any]) -> None:
    """A custom resource against its operator's schema, anything else against Kubernetes' own."""
    validator = VALIDATORS.get((doc["apiVersion"], doc["kind"]))
    if validator is not None:
        validator.validate(doc)
    else:
        kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def test_every_manifest_is_listed_and_every_listed_file_exists() -> None:
    listed = set(yaml.safe_load((BASE / "kustomization.yaml").read_text())["resources"])
    on_disk = {p.name for p in BASE.glob("*.yaml")} - {"kustomization.yaml"}
    assert on_disk == listed


def test_a_missing_resource_file_fails_the_assembly(tmp_path: Path) -> None:
    (tmp_path / "kustomization.yaml").write_text("resources:\n  - gone.yaml\n")
    with pytest.raises(AssertionError, match=r"gone\.yaml"):
        assemble(tmp_path)


def test_every_resource_matches_its_schema(docs: list[dict[str, Any]]) -> None:
    kinds = {d["kind"] for d in docs}
    assert {"Kafka", "KafkaNodePool", "KafkaTopic", "RayService", "Cluster", "ScaledObject"} <= kinds
    assert {"Deployment", "Job", "Service", "ConfigMap", "NetworkPolicy", "Namespace"} <= kinds
    for doc in docs:
        try:
            validate(doc)
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']}: {exc.message} at {list(exc.path)}")


def test_every_kind_has_a_schema(docs: list[dict[str, Any]]) -> None:
    # kubernetes-validate only warns on a kind it has no schema for; here that is an error.
    for doc in docs:
        if (doc["apiVersion"], doc["kind"]) not in VALIDATORS:
            try:
                kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                pytest.fail(f"no schema for {doc['apiVersion']} {doc['kind']}")


def _broken(docs: list[dict[str, Any]], kind: str, name: str, edit: Any) -> dict[str, Any]:
    doc = copy.deepcopy(by_kind(docs, kind)[name])
    edit(doc)
    return doc


@pytest.mark.parametrize(
    ("kind", "name", "edit"),
    [
        ("Deployment", "turing-api", lambda d: d["spec"].update(replica=2)),
        ("Deployment", "turing-worker", lambda d: d["spec"]["template"]["spec"]["containers"][0].update(ports=[{"containerPort": "http"}])),
        ("KafkaTopic", "commands", lambda d: d["spec"].update(partition=3)),
        ("KafkaNodePool", "dual-role", lambda d: d["spec"].update(roles=["leader"])),
        ("KafkaUser", "turing", lambda d: d["spec"]["authorization"]["acls"][0].update(operation="Read")),
        ("Cluster", "turing-pg", lambda d: d["spec"]["bootstrap"]["initdb"].update(postInitAppSQL=[])),
        # Inside a RayService, the pod template is checked by Kubernetes' own PodTemplateSpec.
        ("RayService", "turing-llm", lambda d: d["spec"]["rayClusterConfig"]["headGroupSpec"]["template"]["spec"].update(container=[])),
        ("ScaledObject", "turing-worker", lambda d: d["spec"]["triggers"][0]["metadata"].update(lagThreshold=64)),
    ],
)  # fmt: skip
def test_the_schemas_reject_a_broken_resource(
    docs: list[dict[str, Any]], kind: str, name: str, edit: Any
) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validate(_broken(docs, kind, name, edit))


def test_kafka_topics_are_the_catalogue(docs: list[dict[str, Any]]) -> None:
    assert deploy_topics.MANIFEST.read_text() == deploy_topics.render(), (
        "kafka-topics.yaml is stale: run `python -m infra.deploy_topics --write`"
    )
    topics = by_kind(docs, "KafkaTopic")
    assert set(topics) == {t.name for t in CATALOGUE}
    for t in CATALOGUE:
        spec = topics[t.name]["spec"]
        assert spec["topicName"] == t.name
        assert spec["partitions"] == t.partitions
        assert int(spec["config"]["retention.ms"]) == t.retention_ms
        assert spec["config"]["cleanup.policy"] == "delete"
        assert topics[t.name]["metadata"]["labels"]["strimzi.io/cluster"] in by_kind(docs, "Kafka")
    assert int(topics["deadletters"]["spec"]["config"]["retention.ms"]) > 0
    assert {int(topics[t]["spec"]["config"]["retention.ms"]) for t in topics if t != "deadletters"} == {-1}


def test_topic_replicas_fit_the_brokers(docs: list[dict[str, Any]]) -> None:
    brokers = sum(
        p["spec"]["replicas"]
        for p in by_kind(docs, "KafkaNodePool").values()
        if "broker" in p["spec"]["roles"]
    )
    for t in by_kind(docs, "KafkaTopic").values():
        assert t["spec"]["config"]["min.insync.replicas"] < t["spec"]["replicas"] <= brokers


def _containers(doc: dict[str, Any]) -> list[dict[str, Any]]:
    template = doc["spec"]["template"]
    return list(template["spec"]["containers"])


def test_turing_workloads_are_non_root_bounded_and_probed(docs: list[dict[str, Any]]) -> None:
    workloads = {**by_kind(docs, "Deployment"), **by_kind(docs, "Job")}
    mine = {n: d for n, d in workloads.items() if n.startswith("turing-") and n != "turing-schema-registry"}
    assert set(mine) == {"turing-api", "turing-projector", "turing-worker", "turing-init"}
    for name, doc in mine.items():
        pod = doc["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] >= 1000
        for c in _containers(doc):
            assert c["securityContext"]["readOnlyRootFilesystem"] is True
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert {"cpu", "memory"} <= set(c["resources"]["requests"]) and "memory" in c["resources"][
                "limits"
            ]
            # Credentials come from Secrets; nothing secret is written into a manifest.
            for env in c.get("env", []):
                if re.search(r"PASSWORD|SECRET|TOKEN", env["name"]):
                    assert "secretKeyRef" in env.get("valueFrom", {}), f"{name}: {env['name']} is inlined"
    api = _containers(mine["turing-api"])[0]
    assert api["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health"
    scrape = mine["turing-api"]["spec"]["template"]["metadata"]["annotations"]
    assert scrape["prometheus.io/path"] == "/metrics" and scrape["prometheus.io/scrape"] == "true"
    worker_c = _containers(mine["turing-worker"])[0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert HEALTH_FILE in " ".join(worker_c[probe]["exec"]["command"])
    assert "--no-projector" in worker_c["command"]
    assert _containers(mine["turing-projector"])[0]["command"] == ["turing", "projections", "run"]
    assert mine["turing-projector"]["spec"]["strategy"]["type"] == "Recreate"
    assert _containers(mine["turing-init"])[0]["command"] == ["turing", "init"]
    assert not by_kind(docs, "Secret"), "Secrets are created by operators or by hand, never committed"


def test_worker_autoscaling_follows_lag_within_the_partitions(docs: list[dict[str, Any]]) -> None:
    scaled = by_kind(docs, "ScaledObject")["turing-worker"]["spec"]
    assert scaled["scaleTargetRef"]["name"] in by_kind(docs, "Deployment")
    assert scaled["maxReplicaCount"] == topic("commands").partitions
    topic_of_group = {worker.GROUPS[name]: t for name, t in
                      [("orchestrator", "postings"), ("pipeline", "commands"), ("matcher", "derivations"),
                       ("matcher-profiles", "profiles")]}  # fmt: skip
    triggers = scaled["triggers"]
    assert {t["metadata"]["consumerGroup"] for t in triggers} >= {worker.GROUP}
    for trigger in triggers:
        assert trigger["type"] == "kafka"
        assert topic_of_group[trigger["metadata"]["consumerGroup"]] == trigger["metadata"]["topic"]
        assert trigger["metadata"].get("allowIdleConsumers", "false") == "false"
        auth = by_kind(docs, "TriggerAuthentication")[trigger["authenticationRef"]["name"]]
        assert {r["parameter"] for r in auth["spec"]["secretTargetRef"]} == {"ca", "cert", "key"}


def test_kafka_users_may_use_every_worker_group(docs: list[dict[str, Any]]) -> None:
    acls = by_kind(docs, "KafkaUser")["turing"]["spec"]["authorization"]["acls"]
    prefixes = [a["resource"]["name"] for a in acls if a["resource"]["type"] == "group"]
    for group in worker.GROUPS.values():
        assert any(group.startswith(p) for p in prefixes), group
    listeners = {
        lst["port"]: lst for lst in by_kind(docs, "Kafka")["turing-kafka"]["spec"]["kafka"]["listeners"]
    }
    env = by_kind(docs, "ConfigMap")["turing-env"]["data"]
    port = int(env["TURING_BOOTSTRAP_SERVERS"].rsplit(":", 1)[1])
    assert listeners[port]["tls"] is True
    assert listeners[port]["authentication"]["type"] == env["TURING_KAFKA_SASL_MECHANISM"].lower()


def test_settings_file_parses_and_names_the_served_model(docs: list[dict[str, Any]]) -> None:
    values = tomllib.loads((BASE / "turing.toml").read_text())
    settings = Settings(**values)
    openai = OpenAIOptions(**settings.pipeline.engine_options["openai"])
    service = by_kind(docs, "RayService")["turing-llm"]
    # KubeRay serves a RayService's Serve app on the Service <name>-serve-svc, port 8000.
    assert openai.base_url == f"http://{service['metadata']['name']}-serve-svc:8000/v1"
    serve = yaml.safe_load(service["spec"]["serveConfigV2"])
    app = serve["applications"][0]
    assert app["import_path"] == "ray.serve.llm:build_openai_app"
    served = {c["model_loading_config"]["model_id"] for c in app["args"]["llm_configs"]}
    openai_models = {
        spec.split(":", 1)[1] for spec in settings.pipeline.engines.values() if spec.startswith("openai:")
    }
    assert openai_models and openai_models <= served
    env = by_kind(docs, "ConfigMap")["turing-env"]["data"]
    assert env["TURING_CONFIG"].startswith("/etc/turing/config/")
    # The password is libpq's PGPASSWORD (a Secret), so the DSN in a ConfigMap has none.
    dsn = urlsplit(env["TURING_DSN"])
    assert dsn.password is None and dsn.username == "turing"
    assert "sslmode=verify-full" in dsn.query


def _pod_labels(docs: list[dict[str, Any]]) -> list[dict[str, str]]:
    labels = [d["spec"]["template"]["metadata"]["labels"] for d in docs if d["kind"] in ("Deployment", "Job")]
    for service in by_kind(docs, "RayService").values():
        cluster = service["spec"]["rayClusterConfig"]
        groups = [cluster["headGroupSpec"], *cluster.get("workerGroupSpecs", [])]
        labels += [g["template"]["metadata"]["labels"] for g in groups]
    return labels


def test_network_policies_select_real_pods_and_admit_turing(docs: list[dict[str, Any]]) -> None:
    pods = _pod_labels(docs)

    def matches(selector: dict[str, Any]) -> list[dict[str, str]]:
        wanted = selector.get("matchLabels", {})
        return [p for p in pods if wanted.items() <= p.items()]

    turing = {n: d for n, d in by_kind(docs, "Deployment").items() if n != "turing-schema-registry"}
    policies = by_kind(docs, "NetworkPolicy")
    assert set(policies) == {"turing-llm", "turing-schema-registry"}
    for name, policy in policies.items():
        assert matches(policy["spec"]["podSelector"]), f"{name} selects no pod"
        admitted = [
            p
            for rule in policy["spec"]["ingress"]
            for f in rule["from"]
            for p in matches(f.get("podSelector", {}))
        ]
        for deployment in turing.values():
            assert deployment["spec"]["template"]["metadata"]["labels"] in admitted, name
