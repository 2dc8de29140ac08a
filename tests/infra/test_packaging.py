"""The wheel is a working product on its own: version, sample data and schemas come with it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".git", ".venv", ".data", "build", "*.egg-info", "__pycache__", ".*_cache")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the tree and install it alone into a fresh venv."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(work),
            ".",
        ],
        cwd=src,
        check=True,
        capture_output=True,
    )
    wheel = next(work.glob("turing-*.whl"))
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The libraries come from the project's venv; Turing itself only from the wheel.
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "zz_project_libs.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return env_dir


def _run(env_dir: Path, *argv: str) -> str:
    done = subprocess.run(
        list(argv), cwd=env_dir.parent, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_installed_wheel_answers_its_version(installed: Path) -> None:
    assert _run(installed, str(installed / "bin" / "turing"), "--version").strip() == "turing 0.1.0"


def test_installed_wheel_finds_its_own_sample_data_and_schemas(installed: Path) -> None:
    probe = (
        "import infra, schemas.catalog as c; from infra.samples import samples_dir; "
        "print(infra.__file__); print(samples_dir()); print(len(c.topics_with_schemas()))"
    )
    module, samples, topics = _run(installed, str(installed / "bin" / "python"), "-c", probe).split()
    assert Path(module).is_relative_to(installed), "turing was imported from the checkout, not the wheel"
    assert Path(samples).is_relative_to(installed)
    assert (Path(samples) / "postings.jsonl").read_bytes() == (
        ROOT / "sample_data" / "postings.jsonl"
    ).read_bytes()
    assert int(topics) >= 9
