"""What a torch.save file holds, read from its zip directory and its pickle without making one tensor.

`torch.load` allocates each storage at the size the pickle claims before it reads the bytes, and a view can
claim any shape over a tiny storage (an expanded 40000×40000 in a 1.9 KB file). So every entry's size and
every tensor's dtype, shape, strides and storage are checked here first, with an unpickler that knows only
the few names a state_dict uses and builds plain records instead of tensors.
"""
from __future__ import annotations

import collections
import io
import math
import pickle
import zipfile
from dataclasses import dataclass

from .. import limits
from ..parse import ParseError

FLOAT_STORAGES = {"FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2}
MAX_PICKLE_BYTES = 1_000_000   # a state_dict's data.pkl: about 200 bytes a tensor


@dataclass(frozen=True)
class Storage:
    key: str          # the zip entry data/<key> holding its bytes
    kind: str         # FloatStorage, LongStorage, …
    numel: int


@dataclass(frozen=True)
class TensorInfo:
    storage: Storage
    offset: int
    shape: tuple
    stride: tuple


class _NotDense:
    """Stands for a sparse, quantized, meta or other special tensor: refused once its key is known."""

    def __init__(self, what: str):
        self.what = what

    def __call__(self, *args, **kwargs):
        return self


def _rebuild(storage, offset, size, stride, *rest):
    return TensorInfo(storage, offset, tuple(size), tuple(stride))


def _rebuild_parameter(data, *rest):
    return data


class _Metadata(pickle.Unpickler):
    """Reads data.pkl into records; any name outside a state_dict's vocabulary is refused, never imported."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("collections", "OrderedDict"):
            return collections.OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild
        if (module, name) == ("torch._utils", "_rebuild_parameter"):
            return _rebuild_parameter
        if module == "torch" and name.endswith("Storage"):
            return name
        if module.startswith("torch"):   # sparse, quantized, meta, nested tensors and the like
            return _NotDense(f"{module}.{name}"[:60])
        raise ParseError(f"the weights file holds a {module[:30]}.{name[:30]}, not only tensors; save "
                         "module.state_dict()")

    def persistent_load(self, pid):
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage" and isinstance(pid[4], int)):
            raise ParseError("the weights file refers to data in a form torch.save does not write")
        return Storage(str(pid[2]), str(pid[1]), pid[4])


def read_metadata(data: bytes) -> dict[str, TensorInfo]:
    """Key → TensorInfo of every tensor in a torch.save zip file, all checked before torch reads it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = {info.filename: info for info in archive.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ParseError("this is not a readable torch weights file (not a torch.save zip); save one with "
                         "torch.save(module.state_dict(), path)") from None
    if any(info.compress_type != zipfile.ZIP_STORED for info in entries.values()):
        raise ParseError("the weights file is compressed; torch.save never compresses, so it was altered")
    if sum(info.file_size for info in entries.values()) > limits.MAX_UPLOAD_BYTES:
        raise ParseError(f"the weights file's contents exceed {limits.MAX_UPLOAD_BYTES:,} bytes")
    pickles = [name for name in entries if name.endswith("/data.pkl") and name.count("/") == 1]
    if len(pickles) != 1 or entries[pickles[0]].file_size > MAX_PICKLE_BYTES:
        raise ParseError("this is not a readable torch weights file (no data.pkl)")
    folder = pickles[0].split("/")[0]
    try:
        state = _Metadata(io.BytesIO(archive.read(pickles[0]))).load()
    except ParseError:
        raise
    except Exception as err:  # noqa: BLE001 - a broken pickle raises many types
        raise ParseError(f"this is not a readable torch weights file ({type(err).__name__})") from None
    if not isinstance(state, dict) or not state:
        raise ParseError("the file must hold a state_dict: a dict of tensors from module.state_dict()")
    for key, tensor in state.items():
        _check(str(key)[:40], tensor, entries, folder)
    return state


def _check(key: str, tensor, entries: dict, folder: str) -> None:
    """A dense, real, 1-D or 2-D tensor, no bigger than its storage, whose storage is the entry's size."""
    if isinstance(tensor, _NotDense):
        raise ParseError(f"{key} is not a plain dense tensor ({tensor.what})")
    if not isinstance(tensor, TensorInfo) or not isinstance(tensor.storage, Storage):
        raise ParseError("the file must hold a state_dict: a dict of tensors from module.state_dict()")
    storage = tensor.storage
    if storage.kind not in FLOAT_STORAGES:
        raise ParseError(f"{key} holds {storage.kind.removesuffix('Storage') or '?'}, not floating-point weights")
    most = limits.MAX_SIZE * 4   # an LSTM's four gates of the largest hidden size
    shape, stride = tensor.shape, tensor.stride
    if len(shape) not in (1, 2) or not all(isinstance(n, int) and 1 <= n <= most for n in shape):
        raise ParseError(f"{key} has shape {shape[:4]}: weights are 1-D or 2-D, each side from 1 to {most:,}")
    if len(stride) != len(shape) or not all(isinstance(s, int) and (s >= 1 or n == 1 and s == 0)
                                            for n, s in zip(shape, stride)) \
            or not isinstance(tensor.offset, int) or tensor.offset < 0 or math.prod(shape) > storage.numel:
        raise ParseError(f"{key} has shape {shape} over {storage.numel:,} stored numbers (strides {stride}): an "
                         "expanded or overlapping view, not dense weights")
    extent = tensor.offset + sum((n - 1) * s for n, s in zip(shape, stride)) + 1
    entry = entries.get(f"{folder}/data/{storage.key}")
    size = FLOAT_STORAGES[storage.kind]
    if entry is None or entry.file_size != storage.numel * size or extent > storage.numel:
        raise ParseError(f"{key} claims more data than the file holds: the file is damaged or altered")
