"""Reading sources: text and Markdown, PDFs (glyphs -> rows -> lines), cleaning and line layout.

Every reader returns the same ``model.TextDocument``: lines with their file, page and line.
"""
