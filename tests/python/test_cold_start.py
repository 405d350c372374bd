"""Cold start: the one-household command does not load the analysis stack (pandas, matplotlib, Flask)."""

import subprocess
import sys


def test_cn_assist_calculate_imports_no_pandas_matplotlib_or_flask():
    code = (
        "import io, contextlib, sys\n"
        "from openfisca_cn_assist.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['calculate']) == 0\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'flask') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
