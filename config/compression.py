"""Pages, feeds and exports compressed by the app itself, so a phone gets a few kilobytes
without a proxy in front (the embedded default)."""

import re

from django.middleware.gzip import GZipMiddleware

# Text compresses; photos and fonts already are, and a range (206) must stay the bytes it names.
COMPRESSIBLE = re.compile(
    r"(text/[\w.+-]+|application/(json|javascript|xml|[\w.-]+\+(json|xml))|image/svg\+xml)"
    r"\s*(;|$)"
)


class CompressionMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH mitigation: random bytes in every compressed body), for
    text only. Static files come already compressed from WhiteNoise (Content-Encoding set), so
    they are left alone."""

    def process_response(self, request, response):
        if response.status_code == 206 or not COMPRESSIBLE.match(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
