"""Images from outside the build (a --cover, a picture inside an EPUB input) -> checked or refused.

An image file is data that a decoder runs over: a few kilobytes of PNG can claim 60000 x 60000
pixels (a decompression bomb, 10 GB once decoded), and junk after a valid signature decodes
halfway. Pillow's own guard (`MAX_IMAGE_PIXELS`, about 89 million pixels) is the limit here,
and a warning past it is a refusal, not a note.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

MAX_PIXELS = 89_478_485  # Pillow's Image.MAX_IMAGE_PIXELS: a 9459 x 9459 image, far past any cover
KINDS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class Picture:
    """What an image file is: its media type and size in pixels."""

    media_type: str
    width: int
    height: int


def inspect_image(data: bytes, decode: bool = True) -> Picture:
    """The picture in `data`, decoded whole when `decode` (else from its header, which is where a
    bomb states its size); ValueError saying why not: not a PNG/JPEG/GIF/WebP, too many pixels,
    or broken."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind = KINDS.get(image.format or "")
                if kind is None:
                    raise ValueError(f"not a PNG, JPEG, GIF or WebP image ({image.format or 'unknown'})")
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValueError(f"{width} x {height} pixels, more than the {MAX_PIXELS:,} an image may have")
                if decode:
                    image.load()
        except Image.UnidentifiedImageError:
            raise ValueError("not a PNG, JPEG, GIF or WebP image") from None
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise ValueError(f"more pixels than an image may have ({exc})") from None
        except (OSError, SyntaxError, EOFError) as exc:  # Pillow's words for "not an image" and "broken"
            raise ValueError(f"not a whole image ({str(exc)[:120] or type(exc).__name__})") from None
    return Picture(kind, width, height)
