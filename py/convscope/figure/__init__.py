"""The CLI's figures: a view's frames drawn as PNG and GIF (:mod:`.frames`)."""
