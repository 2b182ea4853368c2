"""The page's side of the engine: a Session per view (:mod:`.session`), the settings every
kind shares and the manifest the page reads first (:mod:`.settings`), the input presets
and pictures, links read in Python (:mod:`.link`) and the warm-up a first visit runs."""
