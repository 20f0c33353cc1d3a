"""The customer-facing page that adds photos to a claim, reached by a signed link."""

from __future__ import annotations

import html
from pathlib import Path
from string import Template

from supportdesk import claims, evidence, upload_tokens
from supportdesk.db import Database
from supportdesk.errors import DomainError

PAGE = Template(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem;
         color: #1f2933; line-height: 1.5; }
  h1 { font-size: 1.4rem; }
  .notice { padding: .75rem 1rem; border-radius: .5rem; margin: 1rem 0; }
  .ok { background: #e3f9e5; border: 1px solid #31c48d; }
  .error { background: #fde8e8; border: 1px solid #f05252; }
  label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
  input[type=file] { width: 100%; padding: .5rem 0; }
  button { font-size: 1rem; padding: .6rem 1.2rem; border-radius: .4rem; border: 0;
           background: #1a56db; color: white; cursor: pointer; margin-top: 1rem; }
  button:focus, input:focus { outline: 3px solid #f59e0b; outline-offset: 2px; }
  .hint { color: #52606d; font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>$title</h1>
$body
</main>
</body>
</html>
"""
)


def render(title: str, body: str) -> str:
    return PAGE.substitute(title=html.escape(title), body=body)


def notice(kind: str, message: str) -> str:
    role = "alert" if kind == "error" else "status"
    return f'<p class="notice {kind}" role="{role}">{html.escape(message)}</p>'


def form_page(db: Database, claim_number: str, message: str = "", kind: str = "ok") -> str:
    """The claim's summary and the upload form, with a notice on top when there is one."""
    claim = claims.get_claim(db, claim_number)
    room = evidence.MAX_FILES_PER_CLAIM - claim["evidence_count"]
    items = ", ".join(f"{i['quantity']} × {i['name']}" for i in claim["items"])
    parts = [notice(kind, message)] if message else []
    parts.append(
        f"<p>Claim <strong>{html.escape(claim['claim_number'])}</strong> for order "
        f"{html.escape(claim['order_number'])}: {html.escape(items)}.</p>"
        f"<p>Photos help our support team decide quickly: the package contents, the label on "
        f"the outside, and the packing slip. This claim has {claim['evidence_count']} of "
        f"{evidence.MAX_FILES_PER_CLAIM} photos.</p>"
    )
    if room <= 0:
        parts.append("<p>This claim already has all the photos it can hold. Thank you!</p>")
    else:
        parts.append(
            '<form method="post" enctype="multipart/form-data">'
            '<label for="files">Photos to add</label>'
            '<input id="files" name="files" type="file" multiple required '
            'accept="image/jpeg,image/png,image/webp" aria-describedby="files-hint">'
            f'<p id="files-hint" class="hint">JPEG, PNG or WebP, at most 10 MB each; you can add '
            f"{room} more. Location and camera data are removed before we store them.</p>"
            '<button type="submit">Upload photos</button>'
            "</form>"
        )
    return render(f"Add photos to claim {claim['claim_number']}", "".join(parts))


def error_page(message: str) -> str:
    return render("Upload link problem", notice("error", message))


def claim_for(token: str, secret: str) -> str:
    """The claim a link is for; BadToken (403) when it is tampered with or expired."""
    return upload_tokens.read_token(token, secret)


def upload(db: Database, claim_number: str, files: list[bytes], storage: Path) -> tuple[int, str]:
    """Store the files and answer with the page to show, and its status code."""
    try:
        stored = evidence.add_evidence(db, claim_number, files, storage)
    except DomainError as error:
        return error.status, form_page(db, claim_number, error.message, "error")
    count = len(stored)
    message = f"Thank you: {count} photo{'s' if count != 1 else ''} added to your claim."
    return 201, form_page(db, claim_number, message, "ok")
