"""Shared fixtures: a CLI runner with a fixed terminal, and the exchanges' published cases."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing

from invfut_cli.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHARED_CASES = ROOT.parent / "shared" / "examples" / "exchange_cases.json"
VENDORED_CASES = ROOT / "tests" / "data" / "exchange_cases.json"


#: Each Typer app's click command, built once: ``app -> (its registrations, its command)``.
_BUILT: dict[typer.Typer, tuple[tuple[int, ...], Any]] = {}


def click_command(typer_app: typer.Typer) -> Any:
    """``typer.main.get_command(typer_app)``, built once per app and session.

    Building the click tree is most of an in-process run's time (about 45 ms against 1.5 ms
    for the run itself), and it is the same tree every time: the options' defaults are read
    when a command runs, not when the tree is built. An app gets a new tree if a command,
    group or callback was registered on it since (a new app object, such as one from
    ``invfut_cli.app.app_for``, is always built afresh)."""
    registrations = tuple(
        id(item)
        for item in (*typer_app.registered_commands, *typer_app.registered_groups, typer_app.registered_callback)
    )
    built = _BUILT.get(typer_app)
    if built is None or built[0] != registrations:
        built = _BUILT[typer_app] = (registrations, typer.main.get_command(typer_app))
    return built[1]


class CliRunner(typer.testing.CliRunner):
    """typer's runner, running each app's click command from :func:`click_command` (built
    once per session) where typer's ``invoke`` builds it again on every call.

    ``invoke`` is typer's own, step for step, through the runner's public parts
    (``isolation``, ``get_default_prog_name``, ``typer.testing.Result``): only where the
    click command comes from differs. Tests that run invfut in-process use this runner."""

    def invoke(  # type: ignore[override]
        self,
        app: typer.Typer,
        args: str | Sequence[str] | None = None,
        input: bytes | str | None = None,
        env: Mapping[str, str | None] | None = None,
        catch_exceptions: bool = True,
        color: bool = False,
        **extra: Any,
    ) -> typer.testing.Result:
        cli = click_command(app)
        exc_info = None
        with self.isolation(input=input, env=env, color=color) as (out, err, mixed):
            return_value = None
            exception: BaseException | None = None
            exit_code = 0
            if isinstance(args, str):
                args = shlex.split(args)
            prog_name = extra.pop("prog_name") if "prog_name" in extra else self.get_default_prog_name(cli)
            try:
                return_value = cli.main(args=args or (), prog_name=prog_name, **extra)
            except SystemExit as exc:
                exc_info = sys.exc_info()
                code = 0 if exc.code is None else exc.code
                if code != 0:
                    exception = exc
                if not isinstance(code, int):
                    sys.stdout.write(f"{code}\n")
                    code = 1
                exit_code = code
            except Exception as exc:
                if not catch_exceptions:
                    raise
                exception, exit_code, exc_info = exc, 1, sys.exc_info()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                stdout, stderr, output = out.getvalue(), err.getvalue(), mixed.getvalue()
        return typer.testing.Result(
            runner=self,
            stdout_bytes=stdout,
            stderr_bytes=stderr,
            output_bytes=output,
            return_value=return_value,
            exit_code=exit_code,
            exception=exception,
            exc_info=exc_info,  # type: ignore[arg-type]
        )


@pytest.fixture(autouse=True)
def fixed_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test sees the same terminal (no colour forcing, 100 columns) and no config:
    no ``INVFUT_*`` variable, and an empty config directory."""
    import os

    from invfut_cli import config

    for name in ("FORCE_COLOR", "NO_COLOR", "TERM", *(k for k in os.environ if k.startswith("INVFUT_"))):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    config.settings.cache_clear()


@pytest.fixture(autouse=True)
def empty_cache(fixed_terminal: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No refreshed rules: each test has its own empty cache directory, and is not offline;
    no system keyring (the null backend: nothing stored, nothing read)."""
    from invfut_cli import offline

    monkeypatch.setenv("INVFUT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setattr(offline, "OFFLINE", False)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suite never opens a network socket: connecting an AF_INET/AF_INET6 socket fails
    the test (AF_UNIX stays allowed). Live tests serve recorded venue answers instead."""
    import socket

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex

    def guard(sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            pytest.fail(f"a test tried to connect to {address!r}: the suite runs without a network")

    def connect(sock: socket.socket, address: Any) -> Any:
        guard(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> Any:
        guard(sock, address)
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)


@dataclass
class Run:
    """What one invocation printed and returned."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout parsed as JSON, numbers as ``Decimal``."""
        return json.loads(self.stdout, parse_float=Decimal, parse_int=Decimal)


def interruptible() -> None:
    """For ``subprocess.Popen(preexec_fn=...)``: Ctrl-C as a terminal sends it. A test runner's
    worker may ignore SIGINT, and a child inherits an ignored signal (then Python never
    installs its handler), so the child gets the default disposition back before it starts."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def without_column_note(stderr: str) -> str:
    """``stderr`` less the note a narrow table writes about the columns it left out."""
    return "".join(line for line in stderr.splitlines(keepends=True) if " columns leave out " not in line)


def run_cli(*args: str) -> Run:
    """Run ``invfut ARGS`` through :class:`CliRunner`, stdout and stderr kept apart."""
    result = CliRunner().invoke(app, [str(a) for a in args], prog_name="invfut")
    return Run(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Callable[..., Run]:
    """``cli("pnl", "--side", "long", ...)`` runs invfut in-process."""
    return run_cli


def load_cases() -> list[dict[str, Any]]:
    """The exchanges' published cases: ``../shared`` when it is there, else the vendored copy."""
    path = SHARED_CASES if SHARED_CASES.exists() else VENDORED_CASES
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def cases() -> dict[str, dict[str, Any]]:
    """The published cases by id."""
    return {case["id"]: case for case in load_cases()}
