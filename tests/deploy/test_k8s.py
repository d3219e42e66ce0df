"""deploy/k8s: manifests parse, built-in kinds pass the Kubernetes schema, and the pieces fit each other."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
import yaml

from deploy.stack import DEPLOY
from services.enricher.settings import EnricherSettings

K8S = DEPLOY / "k8s"
KUBERNETES_VERSION = "1.30"
# Custom resources have no schema in kubernetes-validate: the structural tests below check them.
CRD_KINDS = {"PodMonitor", "ScaledObject", "Kustomization"}
CORE_KINDS = {"ConfigMap", "Deployment", "Service"}


def documents() -> list[dict[str, Any]]:
    return [doc for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


def by_kind(kind: str) -> dict[str, Any]:
    (found,) = [doc for doc in documents() if doc["kind"] == kind]
    return found


def test_k8s_manifests_are_the_expected_kinds() -> None:
    kinds = sorted(doc["kind"] for doc in documents())
    assert kinds == sorted(CORE_KINDS | CRD_KINDS)


@pytest.mark.parametrize(
    "doc", [doc for doc in documents() if doc["kind"] in CORE_KINDS], ids=lambda doc: str(doc["kind"])
)
def test_k8s_manifest_passes_schema(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)


def test_k8s_kustomization_lists_every_manifest() -> None:
    listed = set(by_kind("Kustomization")["resources"])
    assert listed == {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}


def test_k8s_configmap_keys_are_settings() -> None:
    data = by_kind("ConfigMap")["data"]
    fields = {f"NEWSWIRE_{name.upper()}" for name in EnricherSettings.model_fields}
    assert set(data) - fields == set(), "ConfigMap keys the service ignores (typo?)"
    settings = EnricherSettings.model_validate(
        {key.removeprefix("NEWSWIRE_").lower(): v for key, v in data.items()}
    )
    assert settings.metrics_host == "0.0.0.0"  # scrapes come from outside the pod


def test_k8s_deployment_probes_shutdown_and_resources() -> None:
    deployment = by_kind("Deployment")
    config = by_kind("ConfigMap")["data"]
    pod = deployment["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["envFrom"][0]["configMapRef"]["name"] == by_kind("ConfigMap")["metadata"]["name"]
    (port,) = container["ports"]
    assert port["containerPort"] == int(config["NEWSWIRE_METRICS_PORT"])
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": port["name"]}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": port["name"]}
    assert container["resources"]["requests"]["cpu"] and container["resources"]["limits"]["memory"]
    pre_stop = container["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    shutdown = float(config["NEWSWIRE_SHUTDOWN_TIMEOUT_S"]) + float(pre_stop[1])
    assert pod["terminationGracePeriodSeconds"] > shutdown
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_k8s_service_and_podmonitor_select_the_workers() -> None:
    pod_labels = by_kind("Deployment")["spec"]["template"]["metadata"]["labels"]
    service = by_kind("Service")["spec"]
    assert service["selector"].items() <= pod_labels.items()
    assert service["ports"][0]["targetPort"] == "metrics"
    monitor = by_kind("PodMonitor")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()
    assert monitor["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    # job = value of this pod label = the job the alert rules select
    assert pod_labels[monitor["spec"]["jobLabel"]] == "newswire-enricher"


def test_k8s_scaledobject_scales_the_deployment_on_the_groups_lag() -> None:
    scaled = by_kind("ScaledObject")
    config = by_kind("ConfigMap")["data"]
    assert scaled["apiVersion"] == "keda.sh/v1alpha1"
    spec = scaled["spec"]
    assert spec["scaleTargetRef"]["name"] == by_kind("Deployment")["metadata"]["name"]
    (trigger,) = spec["triggers"]
    assert trigger["type"] == "kafka"
    meta = trigger["metadata"]
    assert meta["consumerGroup"] == config["NEWSWIRE_APP_ID"]
    assert meta["topic"] == config["NEWSWIRE_TOPIC_RAW"]
    assert meta["bootstrapServers"] == config["NEWSWIRE_BROKERS"]
    assert int(meta["lagThreshold"]) > 0
    # More consumers than partitions would idle.
    assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"] <= int(config["NEWSWIRE_PARTITIONS"])
    assert "HorizontalPodAutoscaler" in (K8S / "scaledobject.yaml").read_text()  # the documented alternative
