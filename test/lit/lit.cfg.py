# -*- Python -*-
# lit configuration of the kiln tests. The generated lit.site.cfg.py (in
# build/test/lit) sets the paths and loads this file.

import os
import subprocess

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "kiln"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kiln_obj_root, "test", "lit")

# kiln's tools first, then LLVM's (FileCheck, not, count).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.kiln_tools_dir, append_path=True)
llvm_config.with_system_environment(["HOME", "TMPDIR", "TMP", "TEMP"])

# %python: the project's Python environment (requirements.txt);
# KILN_TEST_PYTHON overrides.
python = os.environ.get("KILN_TEST_PYTHON", config.python_executable)
config.substitutions.append(("%python", '"%s"' % python))
# %run_limited: runs a command under a time and memory limit (see the script).
config.substitutions.append(
    ("%run_limited", '"%s" "%s"' % (python, os.path.join(
        config.test_source_root, "Inputs", "run_limited.py"))))
try:
    subprocess.run([python, "-c", "import onnx, numpy"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    config.available_features.add("onnx")
except (OSError, subprocess.CalledProcessError):
    # The pinned environment is part of the build (scripts/build.sh makes
    # it): without it the ONNX tests would silently not run.
    lit_config.fatal(
        "%s cannot import onnx and numpy: run scripts/build.sh, which makes "
        "the project's Python environment from requirements.txt" % python)

if hasattr(os, "geteuid") and os.geteuid() == 0:
    config.available_features.add("root")

tools = [
    ToolSubst("FileCheck", unresolved="fatal"),
    # As LLVM does: `| not` and `| count` (a leading `not` is found on PATH).
    ToolSubst(r"\| \bcount\b", command=lit.llvm.subst.FindTool("count"),
              verbatim=True, unresolved="fatal"),
    ToolSubst(r"\| \bnot\b", command=lit.llvm.subst.FindTool("not"),
              verbatim=True, unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, [config.llvm_tools_dir])
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="fatal") for t in ["kilnc", "kiln-opt", "kiln-run"]],
    [config.kiln_tools_dir])
