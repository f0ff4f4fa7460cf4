"""Forged torch.save files for the attack bench: a data.pkl that says what we like over the entries we choose."""
from __future__ import annotations

import collections
import io
import pickle
import zipfile


class _Call:
    """Pickles as fn(*args), as torch.save writes a tensor: GLOBAL fn, args, REDUCE."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


class _Claim:
    def __init__(self, key: str, numel: int, kind):
        self.key, self.numel, self.kind = key, numel, kind


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return ("storage", obj.kind, obj.key, "cpu", obj.numel) if isinstance(obj, _Claim) else None


def forged(tensors: dict, records: dict[str, bytes], compress: int = zipfile.ZIP_STORED,
           double: bool = False) -> bytes:
    """{key: (numel claimed, shape, stride)} over the entries data/0, data/1, … given in records."""
    import torch
    kind = torch.DoubleStorage if double else torch.FloatStorage
    state = collections.OrderedDict(
        (key, _Call(torch._utils._rebuild_tensor_v2, _Claim(str(k), numel, kind), 0, shape, stride, False,
                    collections.OrderedDict()))
        for k, (key, (numel, shape, stride)) in enumerate(tensors.items()))
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=2).dump(state)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compress) as archive:
        archive.writestr("archive/data.pkl", buffer.getvalue())
        archive.writestr("archive/byteorder", "little")
        archive.writestr("archive/version", "3\n")
        for key, data in records.items():
            archive.writestr(f"archive/data/{key}", data)
    return out.getvalue()
