"""Every cap convscope keeps, in one place: what keeps a browser tab responsive, a
download small and a step's text readable. Nothing here imports anything, so every
layer of the package may read it; the build hands the page's caps to JavaScript
(``page.settings.manifest``).
"""

#: Largest settings the page accepts: beyond these a browser tab would stall. Model mode
#: crops a layer's activations to the same caps before stepping through it.
PAGE = {"in_channels": 16, "out_channels": 32, "batch": 4, "input_size": 128,
        "kernel_size": 15, "stride": 16, "padding": 32, "dilation": 16, "groups": 16,
        "output_padding": 16, "output_size": 512, "divisor_override": 10_000}

#: What the work of one view may add up to in a browser tab: multiply-accumulates
#: (or comparisons), and values unfolded into windows at once.
MAX_MACS = 100_000_000
MAX_COLUMNS = 16_000_000

#: Values (products, taps, terms) a step table may hold; beyond it a download would be
#: tens of megabytes.
MAX_TABLE_VALUES = 500_000
#: Steps a backward step table may list (each row holds its products).
MAX_TABLE_STEPS = 20_000
#: Terms of a step's arithmetic written out (a 5×5 window's taps, whole); the rest is
#: summarised.
MAX_TERMS = 25
#: Output values per sample up to which every scatter step carries the running sums
#: (each step message holds them all); a larger output shows its final values.
MAX_STATE = 16_384

#: What a link may carry of typed-in cells: the edits text's length, and the digits of
#: each index (the page refuses longer ones before parsing).
LINK_EDITS = {"max_text": 4000, "index_digits": 4}

#: The longest side of a picture the page sends (it shrinks larger pictures before
#: sending, so a phone photo does not cross the worker boundary at full size) and Python
#: accepts; and the largest picture file the page reads.
MAX_PICTURE_SIDE = 512
MAX_PICTURE_BYTES = 20_000_000

#: Model mode: the values of a whole forward pass it computes for the feature maps, and
#: the pixels a side of one strip map (larger ones are subsampled).
MAX_ACTIVATIONS = 4_000_000
MAP_SIDE = 96

#: Model code the reader accepts (it is parsed, never run).
MAX_CHARACTERS = 100_000   # about 2,000 lines
MAX_NESTING = 32           # brackets inside brackets
MAX_LAYERS = 300
MAX_PARAMETERS = 20_000_000
MAX_INT = 2**31 - 1
MAX_STRING = 40
MAX_SEQUENCE = 8           # values in one literal tuple or list
MAX_SEQUENTIAL_DEPTH = 8
MAX_LITERAL_DEPTH = 8      # operators and tuples inside one argument
MAX_TREE_DEPTH = 100       # syntax tree depth: attribute and operator chains too

#: Python sessions the notebook kernel keeps per widget: one per view of it.
MAX_SESSIONS = 16
