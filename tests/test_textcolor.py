import pytest

from viz.textcolor import coloured_html, fill, legend_html


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("value", [-1.0, -0.75, -0.5, 0.0, 0.5, 0.75, 1.0, 9.0, -9.0])
def test_black_text_is_legible_on_every_fill(value):
    contrast = (_luminance(fill(value)) + 0.05) / 0.05     # black text: luminance 0
    assert contrast >= 4.5                                 # WCAG AA for normal text


def test_fills_tell_sign_and_size_apart():
    assert fill(1.0) != fill(-1.0) and fill(0.0) == "#ffffff"
    assert _luminance(fill(1.0)) < _luminance(fill(0.5)) < _luminance(fill(0.0))


def test_the_legend_comes_with_the_text_and_escapes_it():
    page = coloured_html("<b>", [0.2, -0.2, 1.0], title="unit 7 (inside a string)")
    assert page.startswith('<div style="font-size:13px;margin:4px 0">unit 7 (inside a string): ')
    assert "&lt;" in page and "<b>" not in page
    assert [legend_html("x").count(f">{v}<") for v in ("-1.0", "+0.0", "+1.0")] == [1, 1, 1]
