"""Run by hub-connector.pyz before the connector (shiv's preamble): refuse a Python it cannot run on.

The zipapp's compiled dependencies (numpy, cryptography, pycryptodome, PyYAML) were installed for the
builder's Python version, operating system and processor; on another, the first import fails with a
traceback that tells a data officer nothing. ``build.py`` writes the builder's values into
``BUILT_FOR`` when it copies this file into the zipapp.
"""

import platform
import sys

BUILT_FOR = ("3.11", "linux", "x86_64")  # (Python version, sys.platform, processor): set by build.py


def running_on() -> tuple[str, str, str]:
    return f"{sys.version_info[0]}.{sys.version_info[1]}", sys.platform, platform.machine().lower()


if __name__ == "__main__" and running_on() != BUILT_FOR:
    version, system, machine = running_on()
    sys.exit(f"hub-connector.pyz was built for Python {BUILT_FOR[0]} on {BUILT_FOR[1]} {BUILT_FOR[2]}, and "
             f"this is Python {version} on {system} {machine}: run it with a Python {BUILT_FOR[0]}, or ask "
             "your hub's steward for a hub-connector.pyz built for this computer.")
