"""Build options: the cluster configuration read from its YAML file, with clear errors."""

from __future__ import annotations

import pytest

from analysis.config import ClusterConfig, load_cluster_config
from analysis.errors import ProjectError

GOOD = "cores: 8\nmemory: 16GB\nwalltime: '01:00:00'\njobs: 4\nqueue: normal\n"


def write(tmp_path, text: str):
    """A cluster configuration file."""
    path = tmp_path / "cluster.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_slurm_file_becomes_a_cluster_config(tmp_path):
    config = load_cluster_config("slurm", write(tmp_path, GOOD))
    assert config == ClusterConfig("slurm", cores=8, memory="16GB", walltime="01:00:00", jobs=4, queue="normal")


def test_an_unknown_key_is_named_with_the_keys_there_are(tmp_path):
    with pytest.raises(ProjectError, match="unknown key.*wallclock.*the keys are cores, memory, walltime, jobs"):
        load_cluster_config("slurm", write(tmp_path, GOOD + "wallclock: 1\n"))


def test_a_missing_key_is_named(tmp_path):
    with pytest.raises(ProjectError, match="missing key.*jobs"):
        load_cluster_config("pbs", write(tmp_path, GOOD.replace("jobs: 4\n", "")))


def test_a_value_of_the_wrong_type_is_named(tmp_path):
    with pytest.raises(ProjectError, match="cores must be a whole number"):
        load_cluster_config("slurm", write(tmp_path, GOOD.replace("cores: 8", "cores: eight")))


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    with pytest.raises(ProjectError, match="must be a mapping"):
        load_cluster_config("slurm", write(tmp_path, "- cores\n"))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ProjectError, match="cannot read the cluster configuration"):
        load_cluster_config("slurm", tmp_path / "nope.yml")


def test_a_configuration_file_for_a_local_cluster_is_refused(tmp_path):
    with pytest.raises(ProjectError, match="--cluster-config is for --cluster slurm or pbs"):
        load_cluster_config("local", write(tmp_path, GOOD))


def test_a_scheduler_is_described_by_its_address():
    assert "tcp://10.0.0.1:8786" in ClusterConfig("scheduler", address="tcp://10.0.0.1:8786").describe()
