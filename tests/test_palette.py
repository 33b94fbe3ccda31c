"""The site's colours: readable text from any brand colour, and a warning for one that cannot be read."""

from __future__ import annotations

import re

import pytest

from faqkb.site.palette import DARK_BACKGROUND, DARK_PANEL, LIGHT_BACKGROUNDS, MIN_CONTRAST, WHITE, contrast, palette


def variables(css: str, scheme: str) -> dict[str, str]:
    values = {}
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if f'data-md-color-scheme="{scheme}"' in selector:
            values.update(re.findall(r"(--[\w-]+):\s*([^;]+);", body))
    return values


def test_contrast_matches_the_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes


@pytest.mark.parametrize("brand", ["#c2410c", "#1565c0", "#2e7d32", "#6a1b9a", "#000000"])
def test_every_derived_colour_reads_at_four_and_a_half_to_one(brand):
    result = palette(brand)
    assert result.problems == []
    light, dark = variables(result.css, "default"), variables(result.css, "slate")
    for background in LIGHT_BACKGROUNDS.values():
        assert contrast(light["--md-typeset-a-color"], background) >= MIN_CONTRAST
        assert contrast(light["--md-accent-fg-color"], background) >= MIN_CONTRAST
    assert contrast(light["--md-primary-fg-color"], WHITE) >= MIN_CONTRAST  # white header text
    for background in (DARK_BACKGROUND, DARK_PANEL):
        assert contrast(dark["--md-typeset-a-color"], background) >= MIN_CONTRAST
        assert contrast(dark["--md-accent-fg-color"], background) >= MIN_CONTRAST


@pytest.mark.parametrize("brand, says", [
    ("#ff6e42", "品牌色 #ff6e42 上的白色文字对比度只有 2.78:1"),   # Material's deep orange accent
    ("#ffeb3b", "品牌色 #ffeb3b 上的白色文字对比度只有 1.2"),
    ("orange", "不是 #rrggbb 形式的颜色"),
])
def test_a_brand_colour_text_cannot_be_read_on_gets_a_warning_with_a_fix(brand, says):
    [problem] = palette(brand).problems
    assert says in problem
    suggestion = re.search(r"可以改用 (#[0-9a-f]{6})", problem)
    if suggestion:
        assert contrast(suggestion[1], WHITE) >= MIN_CONTRAST
