"""Keyed pseudonyms (HMAC-SHA256) with a per-study key kept outside the repository.

The key of study ``S`` lives in ``~/.laoyou_eval/keys/S.key`` (or ``$LAOYOU_EVAL_KEY_DIR``),
is created on first use with permissions 0600 and is never printed.  The same key gives the
same pseudonym for the same person at every wave, so records still link; another key gives
unrelated pseudonyms.  Processed data record the key's *fingerprint* (an HMAC of a fixed
message, which reveals nothing about the key), so that a lost or swapped key is an error,
not a silent new set of pseudonyms.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import unicodedata
from pathlib import Path

from laoyou_eval.errors import LaoyouError

KEY_BYTES = 32


def key_dir() -> Path:
    """Folder of the study keys (``$LAOYOU_EVAL_KEY_DIR`` or ``~/.laoyou_eval/keys``)."""
    return Path(os.environ.get("LAOYOU_EVAL_KEY_DIR", Path.home() / ".laoyou_eval" / "keys")).expanduser()


def _normalise(value: str) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


class Pseudonymiser:
    """Turns identifiers into stable keyed pseudonyms.

    Parameters
    ----------
    key : bytes
        The study key (use :meth:`for_study` rather than handling keys yourself).

    Examples
    --------
    >>> p = Pseudonymiser(b"k" * 32)
    >>> p("王丽娟", kind="name") == p(" 王丽娟 ", kind="name")
    True
    >>> p("王丽娟", kind="name").startswith("P")
    True
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("key too short")
        self._key = key

    def __repr__(self) -> str:  # never show the key
        return f"Pseudonymiser(fingerprint={self.fingerprint})"

    @property
    def fingerprint(self) -> str:
        """A public identifier of the key: HMAC("fingerprint"), 16 hex digits."""
        return hmac.new(self._key, b"laoyou_eval fingerprint", hashlib.sha256).hexdigest()[:16]

    def __call__(self, value, kind: str = "id", length: int = 10) -> str | None:
        """Pseudonym of ``value`` (None for a missing value).

        Notes
        -----
        ``P`` + the first ``length`` base32 characters of HMAC-SHA256(key, kind + ":" +
        NFKC-normalised, trimmed, upper-cased value).  ``kind`` separates namespaces, so a
        name and a phone number that happen to be equal get different pseudonyms.
        """
        if value is None or value != value or str(value).strip() == "":
            return None
        digest = hmac.new(self._key, f"{kind}:{_normalise(value)}".encode("utf-8"), hashlib.sha256).digest()
        return "P" + base64.b32encode(digest).decode("ascii")[:length]

    @classmethod
    def for_study(cls, study: str, expected_fingerprint: str | None = None) -> "Pseudonymiser":
        """The study's pseudonymiser, creating its key on first use.

        Parameters
        ----------
        study : str
            Study name (the study folder's name).
        expected_fingerprint : str, optional
            Fingerprint recorded with earlier processed data.  When given, a missing key is
            an error (a new key would silently give new pseudonyms) and so is a different key.
        """
        path = key_dir() / f"{study}.key"
        if path.is_file():
            key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        elif expected_fingerprint:
            raise LaoyouError(
                f"找不到研究 {study} 的假名密钥，而已有数据是用它生成的。",
                f"The pseudonymisation key of study {study!r} is missing, but existing processed data were made with it.",
                file=path, hint_zh="从备份中恢复密钥文件（不要新建，否则假名会全部改变）。",
                hint_en="restore the key file from your backup; a new key would change every pseudonym.")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            key = secrets.token_bytes(KEY_BYTES)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(key.hex())
        pseudonymiser = cls(key)
        if expected_fingerprint and pseudonymiser.fingerprint != expected_fingerprint:
            raise LaoyouError(
                f"研究 {study} 的密钥与生成已有数据的密钥不同。",
                f"The key of study {study!r} is not the one the existing processed data were made with.",
                file=path, hint_zh="找回原来的密钥文件。", hint_en="restore the original key file.")
        return pseudonymiser
