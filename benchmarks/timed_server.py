"""``streamlit run`` with a stopwatch on every rerun, for the load run.

``python -m benchmarks.timed_server app.py --server.port ...`` is ``streamlit run`` with
two of Streamlit's own methods wrapped, nothing else changed: when a session's rerun
request arrives (``AppSession.handle_backmsg``) and when that session's script-finished
message is queued for its browser (``AppSession._enqueue_forward_msg``). Each finished
rerun appends one JSON line to the file named by ``BENCH_RERUN_LOG``: the server-side
rerun latency and the wall-clock time ``t`` it ended, free of the time that browsers on
the same machine take to draw the result.
A rerun cut short by a newer request is counted as ``interrupted``; the newer request's
clock is the one that runs on. Written for Streamlit 1.67's ``AppSession``; if those
methods change, the wrapper fails at start rather than measuring nothing.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.web import cli

from benchmarks.servers import RERUN_LOG_ENV

__all__ = ["install"]


def install(log_path: str) -> None:
    """Wrap the two methods; every finished or interrupted rerun becomes a line in the log."""
    started: dict[str, float] = {}
    lock = threading.Lock()
    handle_backmsg = AppSession.handle_backmsg
    enqueue = AppSession._enqueue_forward_msg

    def timed_handle_backmsg(self: AppSession, msg: Any) -> None:
        if msg.WhichOneof("type") == "rerun_script":
            started[self.id] = time.perf_counter()
        handle_backmsg(self, msg)

    def timed_enqueue(self: AppSession, msg: ForwardMsg) -> None:
        enqueue(self, msg)
        if msg.WhichOneof("type") != "script_finished":
            return
        status = msg.script_finished
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            _write(log_path, lock, {"t": time.time(), "session": self.id, "interrupted": True})
        elif status == ForwardMsg.FINISHED_SUCCESSFULLY and self.id in started:
            elapsed = (time.perf_counter() - started.pop(self.id)) * 1000
            _write(log_path, lock, {"t": time.time(), "session": self.id, "ms": round(elapsed, 2)})

    AppSession.handle_backmsg = timed_handle_backmsg  # type: ignore[method-assign]
    AppSession._enqueue_forward_msg = timed_enqueue  # type: ignore[method-assign]


def _write(path: str, lock: threading.Lock, record: dict[str, Any]) -> None:
    with lock, open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


def main() -> None:
    install(os.environ[RERUN_LOG_ENV])
    sys.exit(cli.main(args=["run", *sys.argv[1:]], prog_name="streamlit"))


if __name__ == "__main__":
    main()
