"""The HTML page and fragment, the legend and MACs wording, the fvcore convention against
hand-worked figures, and the words of the docs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cnncalc import FC, AdaptiveAvgPool, BatchNorm, ChannelLayerNorm, Conv, Flatten, MaxPool, Network, ReLU
from cnncalc.analysis import total_macs
from cnncalc.cli import build_parser, main
from cnncalc.models import alexnet, alexnet_227, resnet18
from cnncalc.render import LEGEND
from cnncalc.summary import Summary

ROOT = Path(__file__).parent.parent


class _Page(HTMLParser):
    """Collects a page's declarations, tags with their attributes, title, style and table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.decls: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.title = ""
        self.style = ""
        self.rows: list[list[str]] = []

    def handle_decl(self, decl):
        self.decls.append(decl)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self.open.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        if self.open and self.open[-1] == "title":
            self.title += data
        elif self.open and self.open[-1] == "style":
            self.style += data
        elif self.open and self.open[-1] in ("td", "th") and self.rows:
            self.rows[-1][-1] += data


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    page.close()
    assert page.open == [], page.open  # every element closed, in order
    return page


def test_html_format_is_a_complete_page(capsys):
    assert main(["resnet18", "--format", "html", "--depth", "all"]) == 0
    text = capsys.readouterr().out
    page = _parse(text)
    assert page.decls == ["DOCTYPE html"] and text.startswith("<!DOCTYPE html>")
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert page.title == "resnet18 (input 3x224x224): cnncalc summary"
    assert [tag for tag, _ in page.tags[:3]] == ["html", "head", "meta"]
    assert "text-align: right" in page.style and "nth-child(even)" in page.style  # numbers, zebra rows
    layer_rows = [row for row in page.rows if len(row) == 8]  # with the Module column
    assert len(layer_rows) == 1 + 1 + 83  # header, input, every layer of resnet18
    assert layer_rows[2][:4] == ["1", "Conv-1", "conv1", "64x112x112"]  # only padding left over: not marked
    # nesting by indentation: a layer three levels down sits further right than its block
    pads = {
        attrs["style"]: depth
        for tag, attrs in page.tags
        if tag == "td" and attrs.get("style", "").startswith("padding-left")
        for depth in [0]
    }
    assert "padding-left:0.7em" in pads and "padding-left:5.2em" in pads  # depth 0 and depth 3
    assert ["Total params", "11,689,512", "11.7 M", "PyTorch's parameters(), all trainable"] in page.rows


def test_jupyter_fragment_is_not_a_page_and_takes_its_colours_from_the_theme():
    text = resnet18()._repr_html_()
    page = _parse(text)
    assert text.startswith('<div class="cnncalc">') and not page.decls
    assert not {"html", "head", "body", "title", "meta"} & {tag for tag, _ in page.tags}
    assert "currentColor" in page.style and "color: inherit" in page.style
    # no colour fixed for a light background: no hex or named black/white, only translucent greys
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b|\b(black|white)\b(?!-)", text)
    assert all(selector.strip().startswith(".cnncalc") for selector in re.findall(r"([^{}]+)\{", page.style))


def test_legend_under_every_table_and_in_help(capsys):
    for fmt in ("table", "markdown", "html"):
        assert main(["lenet5", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "RF: receptive field" in out and "Jump: input pixels between neighbouring outputs" in out, fmt
    help_text = build_parser().format_help()
    for part in LEGEND.split(";"):
        assert part.strip() in help_text, part


def test_macs_line_says_which_count_it_is():
    text = str(Summary(alexnet_227()))
    line = next(line for line in text.splitlines() if line.startswith("MACs "))
    assert line.endswith("convolutions and matrix products, bias excluded: the figure torchvision publishes as GFLOPS")
    fvcore = str(Summary(alexnet_227(), macs="fvcore"))
    assert "fvcore's default count (evaluation mode)" in fvcore


# ---------------------------------------------------------------- the fvcore convention, by hand


def test_fvcore_counts_resnet18_batchnorm_and_adaptive_pooling():
    # elements entering resnet18's 20 BatchNorm layers: bn1 64x112x112 = 802,816; layer1 4 x 64x56x56
    # = 802,816; layer2 5 x 128x28x28 = 501,760 (4 in the blocks, 1 on the downsample);
    # layer3 5 x 256x14x14 = 250,880; layer4 5 x 512x7x7 = 125,440
    normalised = 802_816 + 4 * 200_704 + 5 * 100_352 + 5 * 50_176 + 5 * 25_088
    assert normalised == 2_483_712
    pooled = 512 * 7 * 7
    # torchvision's published 1.81 GFLOPS is 1,814,073,344 MACs
    assert total_macs(resnet18(), "fvcore") == 1_814_073_344 + 2 * normalised + pooled == 1_819_065_856
    # AlexNet: only the AdaptiveAvgPool2d((6, 6)) on a 256x6x6 input adds
    assert total_macs(alexnet(), "fvcore") == 714_188_480 + 256 * 6 * 6


def test_fvcore_rules_layer_by_layer():
    net = Network(
        (3, 10, 10),
        [
            Conv(8, 3),  # 8x8x8 outputs x 27 = 13,824, bias not counted
            BatchNorm(),  # 512 inputs x 2
            BatchNorm(affine=False),  # 512 x 1
            ChannelLayerNorm(),  # 512 x 5
            ChannelLayerNorm(elementwise_affine=False),  # 512 x 4
            ReLU(),  # ignored
            MaxPool(2),  # ignored
            AdaptiveAvgPool(1),  # 8x4x4 = 128 inputs x 1
            Flatten(),
            FC(5),  # 8 x 5 = 40, bias not counted
        ],
    )
    assert total_macs(net, "fvcore") == 13_824 + 1_024 + 512 + 2_560 + 2_048 + 128 + 40
    # fvcore's handle is for aten::adaptive_avg_pool2d only: a 1-d adaptive pooling counts nothing
    assert total_macs(Network((4, 16), [AdaptiveAvgPool(1)]), "fvcore") == 0


# ---------------------------------------------------------------- users' words


@pytest.mark.parametrize("word", ["seed"])
def test_docs_and_messages_use_no_in_house_words(word):
    files = [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "src").rglob("*.py")]
    files += [*(ROOT / "examples").iterdir(), *(ROOT / "tests" / "expected").iterdir()]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(rf"\b{word}", line, re.I)
    ]
    assert found == []
    help_text = build_parser().format_help()
    assert word not in help_text.lower()
