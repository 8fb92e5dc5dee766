"""`python run.py` serves for development; `run:app` is the WSGI entry for gunicorn."""

import gc
import os

# Starting the app makes about a million objects that live as long as the process; the
# collector would only scan them over and over (~0.3 s of every start). Collection resumes
# once the app exists, with those objects frozen out of it (which also spares gunicorn's
# forked workers from copying their pages when a collection touches them).
gc.disable()

from app import create_app  # noqa: E402

app = create_app()
gc.freeze()
gc.enable()

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
