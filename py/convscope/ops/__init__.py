"""The torch-exact operations in NumPy, the bottom layer of convscope: argument forms
(:mod:`.arguments`), padding, output shapes, and the functions of convolution,
transposed convolution and pooling, with the step trace the visualizer animates.
Nothing here imports the rest of the package."""
