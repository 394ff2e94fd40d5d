"""The map's categorical colours stay apart for colour-blind readers (simulated, not assumed)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from components.map_layers import LAYERS

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
CVD = {
    "vision normale": np.eye(3),
    "deutéranopie": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopie": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb_linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(CVD))
def test_every_pair_of_layer_colours_differs_under_simulated_colour_blindness(vision):
    labs = {layer.key: _lab(np.clip(CVD[vision] @ _linear(layer.colour), 0, 1)) for layer in LAYERS}
    closest = min((np.linalg.norm(labs[a] - labs[b]), a, b) for a, b in itertools.combinations(labs, 2))
    assert closest[0] >= 20, f"{vision} : {closest[1]} et {closest[2]} se confondent (ΔE = {closest[0]:.1f})"


def test_the_former_palette_failed_for_deuteranopes():
    """ACV (orange) and missions locales (vermillion) were 18 apart for a deuteranope: the test would catch it."""
    a, b = (_lab(np.clip(CVD["deutéranopie"] @ _linear(c), 0, 1)) for c in ("#E69F00", "#D55E00"))
    assert np.linalg.norm(a - b) < 20
