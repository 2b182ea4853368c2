"""Models the page ships as examples: the code a user would paste, and its input shape."""

from __future__ import annotations

from typing import NamedTuple


class Example(NamedTuple):
    key: str
    title: str
    input_shape: tuple[int, ...]
    code: str


EXAMPLES = (
    Example("lenet5", "LeNet-5 (PyTorch's neural-networks tutorial)", (1, 1, 32, 32), '''\
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


net = Net()
'''),
    Example("conv_row", "nn.Conv2d's options in a row", (1, 1, 28, 28), '''\
from torch import nn

model = nn.Sequential(
    nn.Conv2d(1, 2, 3, padding=1),           # keeps 28x28
    nn.Conv2d(2, 4, 3, stride=2),            # halves it
    nn.Conv2d(4, 8, 3, dilation=2),          # a 5x5 reach with 9 taps
    nn.Conv2d(8, 8, 3, padding="same", groups=4),
)
'''),
    Example("tiny_vgg", "Tiny VGG (CNN Explainer)", (1, 3, 64, 64), '''\
from collections import OrderedDict
from torch import nn

# CNN Explainer's network: 3x3 convolutions without padding, 2x2 max pools, 10 classes
model = nn.Sequential(OrderedDict([
    ("conv_1_1", nn.Conv2d(3, 10, 3)),
    ("relu_1_1", nn.ReLU()),
    ("conv_1_2", nn.Conv2d(10, 10, 3)),
    ("relu_1_2", nn.ReLU()),
    ("max_pool_1", nn.MaxPool2d(2)),
    ("conv_2_1", nn.Conv2d(10, 10, 3)),
    ("relu_2_1", nn.ReLU()),
    ("conv_2_2", nn.Conv2d(10, 10, 3)),
    ("relu_2_2", nn.ReLU()),
    ("max_pool_2", nn.MaxPool2d(2)),
    ("flatten", nn.Flatten()),
    ("output", nn.Linear(10 * 13 * 13, 10)),
]))
'''),
    Example("resnet_stem", "ResNet stem (7x7/2 convolution, 3x3/2 max pool)", (1, 3, 128, 128),
            '''\
from torch import nn

# torchvision's ResNet starts like this; 128x128 keeps the page quick (224 works in the CLI)
stem = nn.Sequential(
    nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False),
    nn.BatchNorm2d(64),
    nn.ReLU(inplace=True),
    nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
)
'''),
    Example("dcgan", "DCGAN generator (ngf=32)", (1, 100, 1, 1), '''\
from torch import nn

# PyTorch's DCGAN tutorial, with ngf=32 (64 in the tutorial) to keep the page quick
nz, ngf, nc = 100, 32, 3

generator = nn.Sequential(
    # a 100-long noise vector as a 1x1 map -> 4x4
    nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, bias=False),
    nn.BatchNorm2d(ngf * 8),
    nn.ReLU(True),
    # -> 8x8
    nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, bias=False),
    nn.BatchNorm2d(ngf * 4),
    nn.ReLU(True),
    # -> 16x16
    nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, bias=False),
    nn.BatchNorm2d(ngf * 2),
    nn.ReLU(True),
    # -> 32x32
    nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),
    nn.BatchNorm2d(ngf),
    nn.ReLU(True),
    # -> 64x64 RGB
    nn.ConvTranspose2d(ngf, nc, 4, 2, 1, bias=False),
    nn.Tanh(),
)
'''),
    Example("unet_like", "A small U-Net-like encoder/decoder (no skips)", (1, 1, 64, 64), '''\
from torch import nn

model = nn.Sequential(
    nn.Sequential(  # encoder: 64 -> 16
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.MaxPool2d(2),
    ),
    nn.Sequential(  # bottleneck
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
    ),
    nn.Sequential(  # decoder: 16 -> 64
        nn.ConvTranspose2d(32, 16, 2, stride=2), nn.ReLU(),
        nn.Upsample(scale_factor=2),
        nn.Conv2d(16, 8, 3, padding=1), nn.ReLU(),
        nn.Conv2d(8, 1, 1), nn.Sigmoid(),
    ),
)
'''),
)

BY_KEY = {example.key: example for example in EXAMPLES}
DEFAULT = "lenet5"
