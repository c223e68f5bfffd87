"""Re-executes a bench script inside a venv with exact pins from PyPI (created or completed by
benches/pinned_venv.sh on first use), so that its third-party judges and generators are the
versions its numbers were measured with. Standard library only."""

import os
import subprocess
import sys

BENCHES = os.path.dirname(os.path.abspath(__file__))


def reexec_in(venv, label, pins):
    """Returns when already running in `venv`; else installs `pins` there and re-executes the
    calling script with the same arguments in the venv's python."""
    if os.path.realpath(sys.prefix) == os.path.realpath(venv):
        return
    subprocess.run(["bash", os.path.join(BENCHES, "pinned_venv.sh"), venv, label, *pins],
                   check=True, stdout=subprocess.DEVNULL)
    py = os.path.join(venv, "bin", "python")
    os.execv(py, [py, *sys.argv])
