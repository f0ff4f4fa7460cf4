"""Hostile weights files, made here: each is refused from the file's own metadata, before torch.load runs."""
import io
import sys
import zipfile
from pathlib import Path

import pytest
import torch

from graphs import ParseError
from graphs.backends.torchfile import read_metadata
from graphs.backends.weights import load_state_dict


def _saved(state: dict) -> bytes:
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


# the attack bench's forger: a data.pkl that says what we like over the entries we choose
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from forge import forged as _forged  # noqa: E402


@pytest.fixture
def torch_load_never_runs(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("torch.load ran on a file the metadata check should have refused")
    monkeypatch.setattr(torch, "load", refuse)


@pytest.mark.parametrize("data, message", [
    # 1.6 × 10⁹ floats (6.4 GB) claimed for a 4-byte entry: torch.load would allocate the claim first
    (_forged({"weight_hh_l0": (1_600_000_000, (40_000, 40_000), (40_000, 1))}, {"0": b"\0" * 4}), "shape"),
    (_forged({"weight_hh_l0": (1_600_000, (4, 4), (4, 1))}, {"0": b"\0" * 64}), "damaged or altered"),
    (_forged({"weight_hh_l0": (16, (4, 4), (4, 1))}, {"0": b"\0" * 64}, zipfile.ZIP_DEFLATED), "compressed"),
    # a zip bomb: 8 MB of zeros deflated into a few kilobytes
    (_forged({"weight_hh_l0": (2_000_000, (2_000, 1_000), (1_000, 1))}, {"0": b"\0" * 8_000_000},
             zipfile.ZIP_DEFLATED), "compressed"),
    (_forged({"weight_hh_l0": (16, (4, 4), (4, 1))}, {"0": b"\0" * 128}), "damaged"),
    (_forged({"weight_hh_l0": (16, (4, 4), (4, 1))}, {}), "damaged"),
    (_forged({"weight_hh_l0": (2, (4000, 4000), (1, 1))}, {"0": b"\0" * 8}), "overlapping"),
    (_saved({"weight_hh_l0": torch.zeros(1).expand(40_000, 40_000)}), "shape"),   # the issue's 1.9 KB file
    (_saved({"weight_hh_l0": torch.zeros(1).expand(4_000, 4_000)}), "expanded"),
    (_saved({"weight_hh_l0": torch.zeros(8).as_strided((4, 4), (1, 1))}), "overlapping"),
    (_saved({"weight_hh_l0": torch.zeros(4, 4).to_sparse()}), "dense"),
    (_saved({"weight_hh_l0": torch.zeros(4, 4, device="meta")}), "dense"),
    (_saved({"weight_hh_l0": torch.zeros(3, 0)}), "shape"),
    (_saved({"weight_hh_l0": torch.zeros(4, 4, dtype=torch.int64)}), "floating-point"),
    (_saved({"weight_hh_l0": [1, 2]}), "state_dict"),
    (b"PK\x05\x06" + b"\0" * 18, "no data.pkl"),
    (b"\x80\x02}q\x00.", "not a torch.save zip"),   # the legacy (pre-zip) format, or any other pickle
])
def test_hostile_files_are_refused_before_torch_load(data, message, torch_load_never_runs):
    assert len(data) < 5_000_000 + 10_000
    with pytest.raises(ParseError, match=message):
        load_state_dict(data)


def test_the_issues_expanded_tensor_file_is_tiny_and_costs_nothing(torch_load_never_runs):
    data = _saved({"weight_ih_l0": torch.zeros(4, 3), "weight_hh_l0": torch.zeros(1).expand(40_000, 40_000)})
    assert len(data) < 2_500
    with pytest.raises(ParseError, match=r"weight_hh_l0 has shape \(40000, 40000\)"):
        load_state_dict(data)


def test_real_weights_pass_the_metadata_check_unchanged():
    module = torch.nn.LSTM(3, 5, num_layers=2, bidirectional=True)
    data = _saved(module.state_dict())
    described = read_metadata(data)
    assert {k: v.shape for k, v in described.items()} == {k: tuple(v.shape) for k, v in module.state_dict().items()}
    loaded = load_state_dict(data)
    assert all((loaded[k] == v.detach().double().numpy()).all() for k, v in module.state_dict().items())


def test_a_transposed_view_is_dense_and_read_as_it_is():
    weights = torch.arange(12.0).reshape(3, 4)
    loaded = load_state_dict(_saved({"weight_hh_l0": weights.t()}))
    assert loaded["weight_hh_l0"].tolist() == weights.t().tolist()
