"""Pictures as inputs: exact area averaging, grayscale and RGB, the shipped pictures, the
user's own picture in a Session, and the CLI's --picture."""

import itertools
from fractions import Fraction

import numpy as np
import pytest

from convscope.ops.arguments import ArgumentError
from convscope.limits import MAX_PICTURE_SIDE as MAX_SIDE
from convscope.page.pictures import LUMA, PICTURE_PRESETS, overlaps, preset_picture, scale_picture
from convscope.page.inputs import make_input
from convscope.page.session import Session
from convscope.page.settings import INPUT_PRESETS

SAMPLE = dict(in_channels=1, out_channels=2, kernel_size=3, stride=1, padding=1, dilation=1,
              groups=1, bias=False, padding_mode="zeros", input_size=[12, 9], batch=2,
              input="picture", weights="sobel", seed=0)


def unpack(packed):
    return np.frombuffer(packed["data"], dtype=np.float64).reshape(packed["shape"])


def reference_scale(pixels, size, channels):
    """Area averaging by its definition, pixel by pixel with exact fractions: output pixel
    (i, j) covers rows [i, i+1)*H/h and columns [j, j+1)*W/w of the source; every source
    pixel counts by the area of it inside that rectangle."""
    height, width, _ = pixels.shape
    h, w = size
    out = np.zeros((channels, h, w))
    for i, j in itertools.product(range(h), range(w)):
        top, bottom = Fraction(i * height, h), Fraction((i + 1) * height, h)
        left, right = Fraction(j * width, w), Fraction((j + 1) * width, w)
        total = np.zeros(channels)
        for y, x in itertools.product(range(height), range(width)):
            dy = min(bottom, y + 1) - max(top, y)
            dx = min(right, x + 1) - max(left, x)
            if dy <= 0 or dx <= 0:
                continue
            r, g, b, a = (float(v) / 255 for v in pixels[y, x])
            rgb = np.array([r, g, b]) * a + (1 - a)  # over white
            value = [rgb @ [0.299, 0.587, 0.114]] if channels == 1 else rgb
            total += float(dy * dx) * np.asarray(value)
        out[:, i, j] = total / float((bottom - top) * (right - left))
    return out


def random_picture(height, width, seed=0, opaque=False):
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, 4), dtype=np.uint8)
    if opaque:
        pixels[..., 3] = 255
    return pixels


@pytest.mark.parametrize("source, size", [
    ((7, 5), (3, 2)),     # shrink by fractions: every output straddles source pixels
    ((10, 10), (5, 5)),   # shrink by whole numbers: plain 2x2 means
    ((6, 9), (4, 6)),     # non-square, 1.5 source pixels per output pixel
    ((3, 4), (7, 9)),     # enlarge: output pixels inside one source pixel, or straddling two
    ((5, 8), (5, 8)),     # same size: the pixels themselves
    ((1, 1), (4, 3)),     # one pixel fills the input
])
@pytest.mark.parametrize("channels", [1, 3])
def test_area_averaging_is_the_plain_loop_reference(source, size, channels):
    pixels = random_picture(*source, seed=sum(source) + channels)
    got = scale_picture(pixels.tobytes(), source[1], source[0], size, channels)
    assert got.shape == (channels, *size) and got.dtype == np.float32
    np.testing.assert_allclose(got, reference_scale(pixels, size, channels), rtol=0, atol=1e-6)


def test_overlap_rows_sum_to_one_and_weigh_fractions():
    weights = overlaps(3, 2)  # two outputs over three sources: 1.5 sources each
    np.testing.assert_allclose(weights, [[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3]])
    for source, target in itertools.product((1, 5, 7, 128, 512), (1, 3, 28, 128)):
        np.testing.assert_allclose(overlaps(source, target).sum(axis=1), 1)


def test_grayscale_is_bt601_luma_and_rgb_keeps_the_channels():
    colours = np.array([[[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255],
                         [10, 20, 30, 255]]], dtype=np.uint8)
    gray = scale_picture(colours.tobytes(), 4, 1, (1, 4), 1)
    np.testing.assert_allclose(gray[0, 0], [0.299, 0.587, 0.114, (10 * .299 + 20 * .587 + 30 * .114)
                                            / 255], atol=1e-6)
    np.testing.assert_allclose(LUMA.sum(), 1)
    rgb = scale_picture(colours.tobytes(), 4, 1, (1, 4), 3)
    np.testing.assert_allclose(rgb[:, 0, :], colours[0, :, :3].T / 255, atol=1e-7)


def test_transparent_pixels_lie_over_white():
    pixels = np.array([[[0, 0, 0, 0], [0, 0, 0, 255], [0, 0, 0, 51], [200, 100, 0, 0]]],
                      dtype=np.uint8)
    got = scale_picture(pixels.tobytes(), 4, 1, (1, 4), 3)
    np.testing.assert_allclose(got[:, 0, :].T, [[1, 1, 1], [0, 0, 0], [0.8, 0.8, 0.8],
                                                [1, 1, 1]], atol=1e-6)


@pytest.mark.parametrize("seed", range(5))
def test_values_stay_within_0_and_1(seed):
    rng = np.random.default_rng(seed)
    height, width = rng.integers(1, 40, 2)
    pixels = random_picture(height, width, seed)
    pixels[rng.random((height, width)) < 0.3] = 255  # extremes, where rounding could overshoot
    for channels in (1, 3):
        got = scale_picture(pixels.tobytes(), int(width), int(height),
                            tuple(rng.integers(1, 60, 2)), channels)
        assert got.min() >= 0 and got.max() <= 1


@pytest.mark.parametrize("channels", [0, 2, 4, 16])
def test_a_picture_gives_one_or_three_channels(channels):
    with pytest.raises(ArgumentError, match="set in_channels to 1 or 3") as raised:
        scale_picture(bytes(16), 2, 2, (2, 2), channels)
    assert raised.value.argument == "in_channels"


@pytest.mark.parametrize("rgba, width, height, words", [
    (bytes(15), 2, 2, "has 16 RGBA bytes, got 15"),
    (bytes(0), 0, 0, "width must be 1 to 512"),
    (bytes(4 * 513), 513, 1, "width must be 1 to 512"),
    (bytes(4), 1, 2.5, "height must be 1 to 512"),
])
def test_malformed_pictures_are_refused_naming_the_input(rgba, width, height, words):
    with pytest.raises(ArgumentError, match=words) as raised:
        scale_picture(rgba, width, height, (2, 2), 1)
    assert raised.value.argument == "input"


@pytest.mark.parametrize("name", list(PICTURE_PRESETS))
def test_shipped_pictures_are_presets_with_edges_to_find(name):
    assert name in INPUT_PRESETS
    pixels = PICTURE_PRESETS[name]()
    assert pixels.dtype == np.uint8 and pixels.shape[2] == 4 and max(pixels.shape) <= MAX_SIDE
    assert (pixels[..., 3] == 255).all()
    x = make_input(name, (2, 3, 28, 28), seed=0)
    assert x.shape == (2, 3, 28, 28) and x.dtype == np.float32
    np.testing.assert_array_equal(x[0], x[1])  # the batch copies the picture
    np.testing.assert_array_equal(x[0], preset_picture(name, (28, 28), 3))
    assert x.min() == 0 and x.max() > 0.8  # black, and something bright
    # a Sobel filter finds edges: many output cells far from zero
    view = Session().compute(dict(SAMPLE, input=name, input_size=[28, 28], batch=1))
    assert (np.abs(unpack(view["output"])) > 1).mean() > 0.1


def test_test_card_channels_differ_and_the_digit_is_light_on_black():
    rgb = preset_picture("test_card", (28, 28), 3)
    assert np.abs(rgb[0] - rgb[2]).max() > 0.5  # the orange circle: bright red, dark blue
    digit = preset_picture("drawn_digit", (28, 28), 1)[0]
    assert digit[0].max() == 0 and digit.max() > 0.9 and 0.1 < digit.mean() < 0.4


def test_session_scales_the_users_picture_into_every_sample():
    pixels = random_picture(30, 20, seed=3)
    session = Session()
    assert session.set_picture(pixels.tobytes(), 20, 30) == {"width": 20, "height": 30}
    for channels in (1, 3):
        view = session.compute(dict(SAMPLE, in_channels=channels, out_channels=channels))
        x = unpack(view["input"])
        assert x.shape == (2, channels, 12, 9)
        expected = scale_picture(pixels.tobytes(), 20, 30, (12, 9), channels)
        np.testing.assert_array_equal(x[0], expected)
        np.testing.assert_array_equal(x[1], expected)
    # typed-in cells still apply over the picture
    view = session.compute(dict(SAMPLE, input_edits=[[1, 0, 2, 3, 7.5]]))
    assert unpack(view["input"])[1, 0, 2, 3] == 7.5


def test_session_without_a_picture_asks_for_one_and_keeps_its_last_good_picture():
    session = Session()
    answer = session.compute(SAMPLE)
    assert answer["error"]["field"] == "input"
    assert "choose, drop or paste a picture" in answer["error"]["message"]
    session.set_picture(np.full((2, 2, 4), 255, np.uint8).tobytes(), 2, 2)
    refused = session.set_picture(bytes(10), 2, 2)
    assert refused["error"]["field"] == "input"
    assert (unpack(session.compute(SAMPLE)["input"]) == 1).all()  # the white picture stays
    answer = session.compute(dict(SAMPLE, in_channels=2, out_channels=2))
    assert answer["error"]["field"] == "in_channels"
    assert Session().compute(dict(SAMPLE, input="test_card", in_channels=4,
                                  out_channels=4))["error"]["field"] == "in_channels"


def test_pictures_leave_other_presets_alone():
    x = make_input("arange", (1, 2, 3, 3), seed=0, picture=(bytes(4), 1, 1))
    np.testing.assert_array_equal(x.ravel(), np.arange(18))


def test_cli_draws_a_link_with_its_picture(tmp_path):
    pil = pytest.importorskip("PIL.Image", reason="the `export` extra (Pillow) is not installed")
    from test_cli_export import run_cli

    picture = np.zeros((40, 60, 3), np.uint8)
    picture[:, 30:] = 255
    pil.fromarray(picture).save(tmp_path / "edge.png")
    link = "#input=picture&input_size=8x8&weights=sobel"
    done = run_cli(link, "--picture", tmp_path / "edge.png", "-o", tmp_path / "a.png", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run_cli(link, "-o", tmp_path / "b.png", cwd=tmp_path)
    assert done.returncode == 2 and "--picture FILE" in done.stderr
    done = run_cli(link, "--picture", tmp_path / "a.png.txt", "-o", tmp_path / "c.png",
                   cwd=tmp_path)
    assert done.returncode == 2 and "cannot read" in done.stderr
