"""One Streamlit session driven over Streamlit's own protocol, as a browser drives it, without a browser.

A browser opens the page (index.html and the assets it names, /_stcore/health, /_stcore/host-config), then a
websocket to /_stcore/stream. Over it, it sends BackMsg protobufs (`rerun_script`: the query string, every
mounted widget's value, the hashes of the big messages it has cached) and receives ForwardMsg protobufs
(`new_session`, `delta`s, `ref_hash` for a cached delta, `script_finished`). A rerun is done when its
`script_finished` arrives: every delta of the run was sent before it on the same socket.

    session = ProtocolSession("http://127.0.0.1:8501")
    await session.open()                          # page load: the first run, to script_finished
    await session.rerun({"τ (steps)": 9})         # widgets by label; the value as the user would set it
    "h@9" in session.last_run_text                # what the run sent, to check it is the expected page

Cookies (nginx's sticky `unfold_route` among them) are kept per session, as a browser profile would.
"""
from __future__ import annotations

import asyncio
import gzip
import re
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ASSET = re.compile(rb'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"')
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN


class SessionError(RuntimeError):
    """The server closed the socket, refused a step, or a rerun did not finish in time."""


class ProtocolSession:
    def __init__(self, url: str, timeout: float = 120.0, assets: bool = True, color_scheme: str = "light"):
        self.url, self.timeout, self.assets, self.color_scheme = url.rstrip("/"), timeout, assets, color_scheme
        self.cookies = CookieJar()
        self.http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.socket = None
        self.reader: asyncio.Task | None = None
        self.cache: dict[str, ForwardMsg] = {}     # hash → a cacheable delta, as the browser's message cache
        self.widgets: dict[str, tuple[str, str]] = {}        # label → (widget id, element kind), this run's
        self.values: dict[str, object] = {}                   # widget id → value the user set
        self.page_hash = ""
        self.query_string = ""
        self.run_bytes: list[bytes] = []
        self.last_run_text = ""
        self.last_status = ""        # the last run's script_finished status, by name
        self.finished: asyncio.Future | None = None
        self.bytes_received = 0

    # --- page load -------------------------------------------------------------------------------------------
    def _get(self, path: str) -> bytes:
        request = urllib.request.Request(self.url + path, headers={"Accept-Encoding": "gzip"})   # as a browser
        with self.http.open(request, timeout=self.timeout) as answer:
            body = answer.read()
            return gzip.decompress(body) if answer.headers.get("Content-Encoding") == "gzip" else body

    def _load_page(self) -> None:
        """What the browser fetches before its websocket: the page, its assets (an empty cache), two checks."""
        page = self._get("/")
        if self.assets:
            for asset in dict.fromkeys(ASSET.findall(page)):
                self._get("/" + asset.decode())
        self._get("/_stcore/health")
        self._get("/_stcore/host-config")

    async def open(self) -> None:
        """Load the page and run the script once (the browser's first rerun request)."""
        from websockets.asyncio.client import connect
        await asyncio.to_thread(self._load_page)
        parts = urlsplit(self.url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        self.socket = await connect(f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream", origin=self.url,
                                    subprotocols=["streamlit"], additional_headers={"Cookie": cookie} if cookie else {},
                                    max_size=None, open_timeout=self.timeout, ping_interval=None)
        self.reader = asyncio.create_task(self._read())
        await self.rerun({})

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            self.reader.cancel()

    # --- reruns ----------------------------------------------------------------------------------------------
    async def rerun(self, changes: dict[str, object]) -> None:
        """Set widgets (by label) and rerun, as the browser does when a widget changes; returns at script_finished."""
        for label, value in changes.items():
            if label not in self.widgets:
                raise SessionError(f"no widget labelled {label!r} on the page (have: {', '.join(self.widgets)})")
            self.values[self.widgets[label][0]] = value
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = self.url + "/"
        state.context_info.color_scheme = self.color_scheme
        state.cached_message_hashes.extend(self.cache)
        mounted = {wid: kind for wid, kind in self.widgets.values()}
        for wid, value in self.values.items():
            if wid in mounted:
                set_value(state.widget_states.widgets.add(), wid, mounted[wid], value)
        self.run_bytes, self.widgets = [], {}
        self.finished = asyncio.get_running_loop().create_future()
        await self.socket.send(message.SerializeToString())
        try:
            await asyncio.wait_for(asyncio.shield(self.finished), self.timeout)
        except asyncio.TimeoutError:
            raise SessionError(f"no script_finished within {self.timeout:.0f} s") from None
        self.last_run_text = b"\n".join(self.run_bytes).decode("utf-8", "replace")
        self.last_status = ForwardMsg.ScriptFinishedStatus.Name(self.finished.result())

    async def _read(self) -> None:
        try:
            async for data in self.socket:
                self.bytes_received += len(data)
                message = ForwardMsg()
                message.ParseFromString(data)
                self._receive(message)
        except Exception as err:  # noqa: BLE001 - a closed or broken socket fails the pending rerun
            if self.finished is not None and not self.finished.done():
                self.finished.set_exception(SessionError(f"socket closed: {type(err).__name__}: {err}"))
            return
        if self.finished is not None and not self.finished.done():
            self.finished.set_exception(SessionError("the server closed the socket"))

    def _receive(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "ref_hash":
            if message.ref_hash not in self.cache:
                raise SessionError(f"the server referred to a message this session never cached: {message.ref_hash}")
            message, kind = self.cache[message.ref_hash], "delta"
        if kind == "new_session":
            self.page_hash = message.new_session.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "delta":
            if message.metadata.cacheable:
                self.cache[message.hash] = message
            self.run_bytes.append(message.delta.SerializeToString())
            if message.delta.WhichOneof("type") == "new_element":
                self._note_widget(message.delta.new_element)
        elif kind == "script_finished" and message.script_finished != EARLY:
            if self.finished is not None and not self.finished.done():
                self.finished.set_result(message.script_finished)

    def _note_widget(self, element) -> None:
        kind = element.WhichOneof("type")
        widget = getattr(element, kind)
        if hasattr(widget, "id") and hasattr(widget, "label") and widget.id:
            self.widgets[widget.label] = (widget.id, kind)


def set_value(state, widget_id: str, kind: str, value) -> None:
    """A WidgetState as the browser writes it for this kind of element."""
    state.id = widget_id
    if kind == "slider":
        state.double_array_value.data.extend(value if isinstance(value, (list, tuple)) else [value])
    elif kind in ("text_input", "text_area", "radio", "selectbox"):
        state.string_value = str(value)
    elif kind == "checkbox":   # st.toggle is a checkbox element
        state.bool_value = bool(value)
    elif kind == "number_input":
        if isinstance(value, int):
            state.int_value = value
        else:
            state.double_value = float(value)
    elif kind == "button":
        state.trigger_value = bool(value)
    else:
        raise SessionError(f"this client does not set {kind} widgets")
