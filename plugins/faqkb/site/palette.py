"""The site's colours: the shop's brand colour, and the shades derived from it, readable on every page.

WCAG 2.1 AA wants 4.5:1 between text and its background. The brand colour is the header's
background (under white text), the colour of links on white and on the grey contact panel, and
of buttons. The darker and lighter shades faqkb derives from it (hover, highlights, links in the
dark scheme) are computed to reach 4.5:1; the brand colour itself is the shop's choice, so a
brand colour that cannot carry white text or be read on white gets a warning (which `--strict`
builds turn into a failure), not a silent change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MIN_CONTRAST = 4.5
WHITE = "#ffffff"
# The backgrounds the brand colour is read on in the light scheme, as staff would name them.
LIGHT_BACKGROUNDS = {"白色页面背景": WHITE, "灰色的联系客服区块": "#f5f5f5"}
DARK_BACKGROUND = "#1e2129"  # Material's slate scheme, hsla(232, 15%, 14%)
DARK_PANEL = "#272a35"  # its code and contact-panel background
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def luminance(color: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(color: str, toward: str, share: float) -> str:
    """`color` moved `share` (0–1) of the way to `toward`."""
    parts = [round(int(color[i:i + 2], 16) * (1 - share) + int(toward[i:i + 2], 16) * share) for i in (1, 3, 5)]
    return "#" + "".join(f"{part:02x}" for part in parts)


def readable_on(color: str, backgrounds: str | tuple[str, ...], toward: str, target: float = MIN_CONTRAST) -> str:
    """The least change of `color`, toward black or white, that reads at `target` on every background."""
    backgrounds = (backgrounds,) if isinstance(backgrounds, str) else backgrounds
    for step in range(0, 101):
        candidate = mix(color, toward, step / 100)
        if all(contrast(candidate, background) >= target for background in backgrounds):
            return candidate
    return toward


@dataclass
class Palette:
    brand: str
    css: str
    problems: list[str] = field(default_factory=list)  # for staff: what fails, and what to do


def palette(brand: str) -> Palette:
    """CSS custom properties for Material's light and dark schemes from one brand colour."""
    if not HEX.match(brand or ""):
        return Palette(brand, "", [f"品牌色 brand_color“{brand}”不是 #rrggbb 形式的颜色，例如 #c2410c；"
                                   "网站先使用 Material 主题自带的配色。"])
    brand = brand.lower()
    problems = []
    if contrast(brand, WHITE) < MIN_CONTRAST:
        problems.append(f"品牌色 {brand} 上的白色文字对比度只有 {contrast(brand, WHITE):.2f}:1，低于 {MIN_CONTRAST}:1"
                        f"（页头、按钮上的文字看不清）。可以改用 {readable_on(brand, WHITE, '#000000')}。")
    for name, background in LIGHT_BACKGROUNDS.items():
        if contrast(brand, background) < MIN_CONTRAST and contrast(brand, WHITE) >= MIN_CONTRAST:
            problems.append(f"品牌色 {brand} 作为链接文字放在{name}（{background}）上，对比度只有 "
                            f"{contrast(brand, background):.2f}:1，低于 {MIN_CONTRAST}:1。"
                            f"可以改用 {readable_on(brand, background, '#000000')}。")
    darker = readable_on(mix(brand, "#000000", 0.2), WHITE, "#000000", 7)  # hover, highlights: a step more
    dark = (DARK_BACKGROUND, DARK_PANEL)
    light_link = readable_on(brand, dark, WHITE)  # the brand, lightened for the dark scheme
    lighter = readable_on(mix(light_link, WHITE, 0.15), dark, WHITE)
    css = f"""/* faqkb: colours from brand_color {brand} (site/palette.py); text reads at ≥ {MIN_CONTRAST}:1. */
body[data-md-color-scheme="default"], body[data-md-color-scheme="slate"] {{
  --md-primary-fg-color: {brand};
  --md-primary-fg-color--light: {brand};
  --md-primary-fg-color--dark: {darker};
  --md-primary-bg-color: #ffffff;
  --md-primary-bg-color--light: #ffffffcc;
}}
body[data-md-color-scheme="default"] {{
  --md-typeset-a-color: {brand};
  --md-accent-fg-color: {darker};
  --md-accent-fg-color--transparent: {darker}1a;
  --md-accent-bg-color: #ffffff;
}}
body[data-md-color-scheme="slate"] {{
  --md-typeset-a-color: {light_link};
  --md-accent-fg-color: {lighter};
  --md-accent-fg-color--transparent: {lighter}1a;
  --md-accent-bg-color: {DARK_BACKGROUND};
}}
"""
    return Palette(brand, css, problems)
