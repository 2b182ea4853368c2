"""What the notebook tests share: the example notebook, and a kernel that imports convscope
from this source tree (not from wherever the test interpreter has it installed)."""

import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "conv2d.ipynb"


def kernel_env(home: pathlib.Path) -> dict:
    """The environment of a kernel (or JupyterLab) started by a test: this tree's
    convscope first on the path, a scratch HOME and Jupyter folders, nothing of the user's."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "IPYTHON"))}
    env.update(PYTHONPATH=os.pathsep.join([str(ROOT / "py"), env.get("PYTHONPATH", "")]),
               HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_DATA_DIR=str(home / "data"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               IPYTHONDIR=str(home / "ipython"), JUPYTER_PLATFORM_DIRS="1",
               PATH=os.pathsep.join([str(pathlib.Path(sys.executable).parent), env["PATH"]]))
    return env
