"""The site: pages as functions of the corpus, rendered with Jinja2, searched, written."""
