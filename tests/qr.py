"""QR codes read back as a phone would: the SVG a page holds drawn into pixels, then decoded
by zxing-cpp (another library than the one that wrote them)."""

import re

import zxingcpp
from PIL import Image, ImageDraw

SEGNO_SVG = re.compile(
    r'<svg width="(\d+)" height="\d+" class="segno">.*?scale\((\d+)\).*?'
    r'class="qrline"[^>]*d="([^"]+)"',
    re.S,
)
STEP = re.compile(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?")


def draw(width, path, scale):
    """segno's path: rows of dark runs, 'M x y' to start, 'h n' a run, 'm dx dy' a move."""
    image = Image.new("L", (width, width), 255)
    pen = ImageDraw.Draw(image)
    x = y = 0.0
    for command, first, second in STEP.findall(path):
        a, b = float(first), float(second or 0)
        if command == "M":
            x, y = a, b
        elif command == "m":
            x, y = x + a, y + b
        else:
            pen.rectangle(
                (x * scale, (y - 0.5) * scale, (x + a) * scale - 1, (y + 0.5) * scale - 1), fill=0
            )
            x += a
    return image


def qr_codes(html):
    """The text of every segno QR code in a page, in order."""
    texts = []
    for width, scale, path in SEGNO_SVG.findall(html):
        image = draw(int(width), path, int(scale))
        texts += [barcode.text for barcode in zxingcpp.read_barcodes(image)]
    return texts
