"""Brings the corpus inputs that come from PyPI sdists into tests/corpus/fetched/.

Each input is one file inside a pinned sdist, checked by the sdist's sha256 (the one PyPI lists)
and by the file's own sha256 (recorded in SOURCES.md). Nothing is committed from these archives;
the downloads are kept in the user's cache folder, so a second run needs no network.

    python tests/corpus/fetch.py
"""
from __future__ import annotations

import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import platformdirs

HERE = Path(__file__).parent
FETCHED = HERE / "fetched"


@dataclass(frozen=True)
class Sdist:
    name: str
    url: str
    sha256: str


BROTLI = Sdist("brotli-1.2.1.tar.gz",
               "https://files.pythonhosted.org/packages/cf/81/1546c983678a9b4e77cb4718eaedd1b2caf24a6cdbf1eb8775938d22aff7/brotli-1.2.1.tar.gz",
               "02b2f7b5a83485efe448a44ddf7983def05c3bb1dcf917d4f7154070260e13de")
SENTENCEPIECE = Sdist("sentencepiece-0.2.3.tar.gz",
                      "https://files.pythonhosted.org/packages/54/83/0664683546ffca8e36653d39d6217c361d931953f40ce28210b56927a9b6/sentencepiece-0.2.3.tar.gz",
                      "21618ad31f0453a1ebf5ec58defed99758d54af0b670546ecac639ddd8b86fbd")
CHARDET = Sdist("chardet-5.2.0.tar.gz",
                "https://files.pythonhosted.org/packages/f3/0d/f7b6ab21ec75897ed80c17d79b15951a719226b9fababf1e40ea74d69079/chardet-5.2.0.tar.gz",
                "1b3b6ff479a8c414bc3fa2c0852995695c4a026dcd6d0633b2dd092ca39c1cf7")

# corpus file name -> (sdist, member path, sha256 of the member)
FILES: dict[str, tuple[Sdist, str, str]] = {
    "pg-alice29.txt": (BROTLI, "brotli-1.2.1/tests/testdata/alice29.txt",
                       "7467306ee0feed4971260f3c87421154a05be571d944e9cb021a5713700c38f0"),
    "pg-plrabn12.txt": (BROTLI, "brotli-1.2.1/tests/testdata/plrabn12.txt",
                        "07e2e0b461af78c7c647cb53dab39de560198e16f799b4516eccf0fbd69f764c"),
    "pg-lcet10.txt": (BROTLI, "brotli-1.2.1/tests/testdata/lcet10.txt",
                      "5314ba1dbb03f471df88bec6cd120a938ef60d0fd3511c5c1dce61bf7463245f"),
    "pg-botchan.txt": (SENTENCEPIECE, "sentencepiece-0.2.3/test/botchan.txt",
                       "464bd5300c24fce16fcc4555d4231a57632caae4d0090ad6aa92854a3b227ba7"),
    "pg-rashomon-sjis.txt": (CHARDET, "chardet-5.2.0/tests/SHIFT_JIS/_ude_1.txt",
                             "a92b92fd8f269581a11e20235a242e82e895d5c70f51896cfddfd9e6e0893caa"),
    "pg-catechism-sjis.txt": (CHARDET, "chardet-5.2.0/tests/SHIFT_JIS/_ude_4.txt",
                              "2cd209bd1ae1d35a2afefba09f718ebd5e260df6c42ab534cd89ccaf06d0742e"),
    "karenina-nl-cp1252.txt": (CHARDET, "chardet-5.2.0/tests/windows-1252/_ude_2.txt",
                               "ad4fcdf76d1e73e2a27b7ab884a4048cd07b8dcf6dcf8b7e2df9d730032f5e72"),
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _archive(sdist: Sdist) -> bytes:
    cached = Path(platformdirs.user_cache_dir("bookbinder")) / "corpus-sdists" / sdist.name
    if cached.exists() and _sha(cached.read_bytes()) == sdist.sha256:
        return cached.read_bytes()
    with urllib.request.urlopen(sdist.url, timeout=120) as response:
        data = response.read()
    if _sha(data) != sdist.sha256:
        raise SystemExit(f"{sdist.name}: sha256 does not match PyPI's")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(data)
    return data


def fetch() -> list[Path]:
    """Every fetched input, present and verified."""
    FETCHED.mkdir(exist_ok=True)
    out, archives = [], {}
    for name, (sdist, member, sha) in FILES.items():
        target = FETCHED / name
        if not (target.exists() and _sha(target.read_bytes()) == sha):
            if sdist.name not in archives:
                archives[sdist.name] = tarfile.open(fileobj=io.BytesIO(_archive(sdist)))
            data = archives[sdist.name].extractfile(member).read()
            if _sha(data) != sha:
                raise SystemExit(f"{name}: {member} in {sdist.name} has changed")
            target.write_bytes(data)
        out.append(target)
    return out


if __name__ == "__main__":
    for path in fetch():
        print(path.relative_to(HERE))
    sys.exit(0)
