"""Read model code with Python's ``ast``: nothing the user writes is ever run.

``parse_model(code)`` accepts what people paste:

* ``nn.Sequential(...)`` (nested, or with an ``OrderedDict`` of names), assigned to a
  name or on its own line, or a bare list of layers;
* ``class Net(nn.Module)`` whose ``__init__`` assigns layers to ``self.name`` and whose
  ``forward`` applies them one after another, with functional steps
  (``F.relu``/``torch.relu``, ``F.max_pool2d``, ``torch.flatten(x, 1)``,
  ``x.view(x.size(0), -1)`` ...), plus an optional ``model = Net()``;
* the imports such code starts with (torch's and ``collections.OrderedDict``), read as
  names and never imported.

Constructors are the supported layers only, with literal arguments (numbers,
True/False/None, strings, tuples, arithmetic on whole numbers). Anything else, and
anything over the limits below, is a :class:`ModelCodeError` (a ValueError) naming
the line, the column and what is supported. The limits are checked before the work
they bound, so hostile text is refused in milliseconds.
"""

from __future__ import annotations

import ast
import inspect
import math

import numpy as np

from ..limits import (MAX_CHARACTERS, MAX_INT, MAX_LAYERS, MAX_LITERAL_DEPTH, MAX_NESTING,
                      MAX_PARAMETERS, MAX_SEQUENCE, MAX_SEQUENTIAL_DEPTH, MAX_STRING,
                      MAX_TREE_DEPTH)
from ..kinds import KINDS
from ..ops.arguments import is_int
from . import layers as simple
from .sequential import Sequential

#: The model's own simple layers (every layer kind's layer comes before them).
SIMPLE = (simple.AdaptiveAvgPool2d, simple.AdaptiveMaxPool2d, simple.BatchNorm2d, simple.ReLU,
          simple.LeakyReLU, simple.GELU, simple.SiLU, simple.Sigmoid, simple.Tanh,
          simple.Identity, simple.Dropout, simple.Dropout2d, simple.Flatten, simple.Linear,
          simple.Upsample, simple.ZeroPad2d)


def constructors() -> dict:
    """Every constructor a model may call, by torch's name: each layer kind's layer, then
    the simple layers (asked at each parse, so a kind registered later is known too)."""
    kinds = (kind.layer_class for kind in KINDS.values() if kind.layer_class is not None)
    return {cls.__name__: cls for cls in (*kinds, *SIMPLE)}


def functions() -> dict:
    """forward's functional steps, function name -> layer: the activations, then each
    layer kind without weights by its functional name (F.max_pool2d, ...), then the rest."""
    return {"relu": simple.ReLU, "leaky_relu": simple.LeakyReLU, "gelu": simple.GELU,
            "silu": simple.SiLU, "sigmoid": simple.Sigmoid, "tanh": simple.Tanh,
            **{kind.name: kind.layer_class for kind in KINDS.values()
               if kind.layer_class is not None and not kind.weight_presets},
            "adaptive_avg_pool2d": simple.AdaptiveAvgPool2d,
            "adaptive_max_pool2d": simple.AdaptiveMaxPool2d, "flatten": simple.Flatten}


#: The constructors as convscope ships them (the messages below list these).
LAYERS = constructors()

#: Imports that model code starts with; read as names, never imported.
IMPORTS = {"torch", "torch.nn", "torch.nn.functional", "collections"}


SUPPORTED = ("supported: nn.Sequential (nested, OrderedDict names), a list of layers, or "
             "class Net(nn.Module) with __init__ and forward; layers " + ", ".join(LAYERS))


class ModelCodeError(ValueError):
    """Model code convscope will not read: ``line``/``column`` (1-based) and their end."""

    def __init__(self, message: str, line: int = 1, column: int = 1,
                 end_line: int | None = None, end_column: int | None = None):
        super().__init__(f"line {line}, column {column}: {message}")
        self.argument = "code"
        self.reason = message
        self.line, self.column = line, column
        self.end_line = end_line or line
        self.end_column = end_column or column + 1

    def as_dict(self) -> dict:
        return {"message": str(self), "line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column}


def _nesting(code: str) -> int:
    """Deepest bracket nesting, counted before ``ast.parse`` (whose own recursion a
    hostile text could exhaust); brackets inside strings count too, erring on refusal."""
    depth = deepest = 0
    for char in code:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


class Reader:
    """One pass over one text: positions for messages, and a layer budget."""

    def __init__(self, code: str, seed: int):
        self.lines = code.split("\n")
        self.seed = seed
        self.layer_count = 0
        self.parameters = 0
        self.names = {"nn": "torch.nn", "torch": "torch", "F": "torch.nn.functional",
                      "functional": "torch.nn.functional", "OrderedDict": "OrderedDict"}
        self.classes: dict[str, ast.ClassDef] = {}
        self.constants: dict[str, object] = {}  # nz = 100 at the top: read as 100

    # --- messages ---------------------------------------------------------------------

    def _column(self, line: int, offset: int) -> int:
        """ast's byte offset as a 1-based character column (the page underlines characters)."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text.encode()[:offset].decode(errors="ignore")) + 1

    def error(self, node: ast.AST, message: str) -> ModelCodeError:
        line = getattr(node, "lineno", 1)
        column = self._column(line, getattr(node, "col_offset", 0))
        end_line = getattr(node, "end_lineno", None) or line
        end_column = self._column(end_line, getattr(node, "end_col_offset", None)
                                  or getattr(node, "col_offset", 0) + 1)
        return ModelCodeError(message, line, column, end_line, end_column)

    # --- names --------------------------------------------------------------------------

    def dotted(self, node: ast.AST) -> str | None:
        """``nn.Conv2d`` -> 'torch.nn.Conv2d' (through the imports), or None."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def layer_name(self, node: ast.AST) -> str | None:
        """The supported constructor a call's function names, or None."""
        name = self.dotted(node)
        if name is None:
            return None
        for prefix in ("torch.nn.", ""):
            short = name[len(prefix):] if name.startswith(prefix) else None
            if short in constructors() or short == "Sequential":
                return short
        return None

    def read_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level or module not in IMPORTS:
                raise self.error(node, f"only torch's imports are read (torch, torch.nn, "
                                       f"torch.nn.functional, collections.OrderedDict), "
                                       f"not {module or '.'!r}; nothing is imported")
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if module == "collections" and alias.name != "OrderedDict":
                    raise self.error(node, "from collections only OrderedDict is read")
                if alias.name == "*":
                    raise self.error(node, "import * is not read; import the names you use")
                self.names[alias.asname or alias.name] = \
                    "OrderedDict" if alias.name == "OrderedDict" else full
            return
        for alias in node.names:
            if alias.name not in IMPORTS:
                raise self.error(node, f"only torch's imports are read (torch, torch.nn, "
                                       f"torch.nn.functional), not {alias.name!r}; nothing "
                                       "is imported")
            if alias.asname:
                self.names[alias.asname] = alias.name

    # --- literals -----------------------------------------------------------------------

    def literal(self, node: ast.AST, depth: int = 0):
        """A literal argument's value; anything else is refused."""
        if depth > MAX_LITERAL_DEPTH:
            raise self.error(node, "literal nested too deeply")
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or value is None:
                return value
            if isinstance(value, int):
                return self._int(node, value)
            if isinstance(value, float):
                if not math.isfinite(value):
                    raise self.error(node, "numbers must be finite")
                return value
            if isinstance(value, str):
                if len(value) > MAX_STRING:
                    raise self.error(node, f"strings are limited to {MAX_STRING} characters")
                return value
            raise self.error(node, f"{type(value).__name__} literals are not supported")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            value = self.literal(node.operand, depth + 1)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self.error(node, "a sign applies to numbers only")
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult,
                                                                ast.FloorDiv)):
            left, right = self.literal(node.left, depth + 1), self.literal(node.right, depth + 1)
            if not (is_int(left) and is_int(right)):
                raise self.error(node, "arithmetic is read on whole numbers only (16 * 5 * 5)")
            if isinstance(node.op, ast.FloorDiv) and right == 0:
                raise self.error(node, "division by zero")
            operation = {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.Mult: int.__mul__,
                         ast.FloorDiv: int.__floordiv__}[type(node.op)]
            return self._int(node, operation(left, right))
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.constants[node.id]
        if isinstance(node, (ast.Tuple, ast.List)):
            if len(node.elts) > MAX_SEQUENCE:
                raise self.error(node, f"tuples and lists of values are limited to "
                                       f"{MAX_SEQUENCE} items")
            values = [self.literal(item, depth + 1) for item in node.elts]
            return tuple(values) if isinstance(node, ast.Tuple) else values
        raise self.error(node, "only literal arguments are supported (numbers, True, False, "
                               "None, strings, tuples, arithmetic on whole numbers, and names "
                               "assigned one of these at the top of the file)")

    def _int(self, node, value: int) -> int:
        if abs(value) > MAX_INT:
            raise self.error(node, f"whole numbers are limited to ±{MAX_INT}")
        return value

    # --- layers -------------------------------------------------------------------------

    def _count_layer(self, node) -> None:
        self.layer_count += 1
        if self.layer_count > MAX_LAYERS:
            raise self.error(node, f"a model is limited to {MAX_LAYERS} layers here")

    def _budget(self, node, cls, bound: inspect.BoundArguments) -> None:
        """Refuse a layer whose weights would pass the parameter cap, before drawing them."""
        arguments = bound.arguments
        def number(name, default=1):
            value = arguments.get(name, default)
            if isinstance(value, (tuple, list)):
                return math.prod(v for v in value if is_int(v)) if value else 1
            return value if is_int(value) and value > 0 else 1
        if {"in_channels", "out_channels", "kernel_size"} <= set(bound.signature.parameters):
            kernel = arguments.get("kernel_size", 1)
            kernel = kernel * kernel if is_int(kernel) else number("kernel_size")
            count = number("in_channels") * number("out_channels") * kernel
        elif cls is simple.Linear:
            count = number("in_features") * number("out_features")
        elif cls is simple.BatchNorm2d:
            count = 4 * number("num_features")
        else:
            return
        self.parameters += count
        if self.parameters > MAX_PARAMETERS:
            raise self.error(node, f"the model passes {MAX_PARAMETERS:,} parameters, the "
                                   "limit here; use fewer channels or features")

    def construct(self, node: ast.Call, cls, args: list, kwargs: dict):
        """``cls(*args, **kwargs)`` with torch's argument errors placed at the call."""
        for name in kwargs:
            if name in ("dtype", "device", "rng") or name.startswith("_"):
                raise self.error(node, f"argument {name!r} is not supported here")
        try:
            bound = inspect.signature(cls).bind(*args, **kwargs)
        except TypeError as error:
            raise self.error(node, f"nn.{cls.__name__}: {error}") from None
        self._budget(node, cls, bound)
        if "rng" in bound.signature.parameters:  # it draws weights: seed them
            kwargs = dict(kwargs, rng=np.random.default_rng([self.seed, self.layer_count]))
        if bound.arguments.get("return_indices") and \
                any(cls is kind.layer_class for kind in KINDS.values()):
            raise self.error(node, "return_indices=True gives a tuple, which the next layer "
                                   "cannot take; use return_indices=False")
        try:
            return cls(*args, **kwargs)
        except (ValueError, TypeError) as error:
            raise self.error(node, f"nn.{cls.__name__}: {error}") from None

    def call_arguments(self, node: ast.Call, skip: int = 0):
        if any(isinstance(arg, ast.Starred) for arg in node.args) or \
                any(keyword.arg is None for keyword in node.keywords):
            raise self.error(node, "*args and **kwargs are not supported; write the "
                                   "arguments out")
        args = [self.literal(arg) for arg in node.args[skip:]]
        kwargs = {keyword.arg: self.literal(keyword.value) for keyword in node.keywords}
        return args, kwargs

    def layer(self, node: ast.AST, depth: int = 0):
        """A layer or a Sequential from a constructor call (or a list of layers)."""
        if isinstance(node, ast.List) and depth == 0:
            return Sequential(*[self.layer(item, depth + 1) for item in node.elts])
        name = self.layer_name(node.func) if isinstance(node, ast.Call) else None
        if name is None:
            raise self.error(node, "expected a layer such as nn.Conv2d(1, 6, 5); " + SUPPORTED)
        if name == "Sequential":
            return self.sequential(node, depth + 1)
        self._count_layer(node)
        args, kwargs = self.call_arguments(node)
        return self.construct(node, constructors()[name], args, kwargs)

    def sequential(self, node: ast.Call, depth: int) -> Sequential:
        if depth > MAX_SEQUENTIAL_DEPTH:
            raise self.error(node, f"Sequentials nest at most {MAX_SEQUENTIAL_DEPTH} deep here")
        if node.keywords:
            raise self.error(node, "nn.Sequential takes layers (or one OrderedDict), "
                                   "not keywords")
        first = node.args[0] if len(node.args) == 1 else None
        if isinstance(first, ast.Call) and self.dotted(first.func) == "OrderedDict":
            return Sequential(self.ordered_dict(first, depth))
        return Sequential(*[self.layer(arg, depth) for arg in node.args])

    def ordered_dict(self, node: ast.Call, depth: int) -> dict:
        items = []
        if node.keywords and node.args:
            raise self.error(node, "OrderedDict: give a list of (name, layer) pairs or "
                                   "name=layer keywords, not both")
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.error(keyword, "**kwargs is not supported")
            items.append((keyword.arg, keyword.value, keyword))
        if node.args:
            pairs = node.args[0]
            if len(node.args) != 1 or not isinstance(pairs, (ast.List, ast.Tuple)):
                raise self.error(node, "OrderedDict takes a list of (name, layer) pairs")
            for pair in pairs.elts:
                if not (isinstance(pair, ast.Tuple) and len(pair.elts) == 2
                        and isinstance(pair.elts[0], ast.Constant)
                        and isinstance(pair.elts[0].value, str)):
                    raise self.error(pair, "each OrderedDict item is a pair ('name', layer)")
                items.append((pair.elts[0].value, pair.elts[1], pair))
        named = {}
        for name, value, where in items:
            if not name or "." in name or len(name) > MAX_STRING or name in named:
                raise self.error(where, f"layer name {name!r} must be new, non-empty, at most "
                                        f"{MAX_STRING} characters and without '.'")
            named[name] = self.layer(value, depth)
        return named

    # --- class-style models -------------------------------------------------------------

    def model_class(self, node: ast.ClassDef) -> Sequential:
        bases = [self.dotted(base) for base in node.bases]
        if bases != ["torch.nn.Module"] and bases != ["Module"]:
            raise self.error(node, "a model class derives from nn.Module only")
        if node.decorator_list or node.keywords:
            raise self.error(node, "decorators and class keywords are not supported")
        methods = {}
        for item in node.body:
            if _is_docstring(item):
                continue
            if not isinstance(item, ast.FunctionDef) or item.name not in ("__init__", "forward"):
                raise self.error(item, "a model class has __init__ and forward only")
            if item.decorator_list:
                raise self.error(item, "decorators are not supported")
            methods[item.name] = item
        if set(methods) != {"__init__", "forward"}:
            raise self.error(node, "a model class needs both __init__ and forward")
        attributes = self.init_layers(methods["__init__"])
        return self.forward_steps(methods["forward"], attributes)

    def init_layers(self, function: ast.FunctionDef) -> dict:
        attributes = {}
        for statement in function.body:
            if _is_docstring(statement) or _is_super_init(statement):
                continue
            target = statement.targets[0] if isinstance(statement, ast.Assign) and \
                len(statement.targets) == 1 else None
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                    and target.value.id == "self"):
                raise self.error(statement, "__init__ assigns layers only: self.name = "
                                            "nn.Conv2d(...), after super().__init__()")
            if target.attr.startswith("_"):
                raise self.error(target, "attribute names starting with '_' are not read")
            attributes[target.attr] = self.layer(statement.value)
        return attributes

    def forward_steps(self, function: ast.FunctionDef, attributes: dict) -> Sequential:
        params = [arg.arg for arg in function.args.args]
        if len(params) != 2 or function.args.vararg or function.args.kwarg or \
                function.args.kwonlyargs:
            raise self.error(function, "forward takes (self, x)")
        current = params[1]
        steps: list[tuple[str, object]] = []
        for index, statement in enumerate(function.body):
            if _is_docstring(statement):
                continue
            last = index == len(function.body) - 1
            if isinstance(statement, ast.Return) and last and statement.value is not None:
                self.apply(statement.value, current, attributes, steps)
                break
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                    isinstance(statement.targets[0], ast.Name):
                self.apply(statement.value, current, attributes, steps)
                current = statement.targets[0].id
                continue
            raise self.error(statement, "forward is a chain of steps: x = self.layer(x), "
                                        "x = F.relu(x), ... and return x")
        else:
            raise self.error(function, "forward must end with return")
        names: dict[str, object] = {}
        for name, layer in steps:
            unique, count = name, 1
            while unique in names:
                count += 1
                unique = f"{name}_{count}"
            names[unique] = layer
        return Sequential(names)

    def apply(self, node: ast.AST, tensor: str, attributes: dict, steps: list) -> None:
        """Unwrap ``self.b(F.relu(self.a(x)))`` innermost first into ``steps``."""
        if isinstance(node, ast.Name):
            if node.id != tensor:
                raise self.error(node, f"forward applies layers one after another to "
                                       f"{tensor!r}: no branches, skips or second inputs")
            return
        if not isinstance(node, ast.Call):
            raise self.error(node, "forward's steps are calls: self.layer(x), F.relu(x), "
                                   "torch.flatten(x, 1), x.view(x.size(0), -1)")
        function = node.func
        # self.layer(x)
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and \
                function.value.id == "self":
            if function.attr not in attributes:
                raise self.error(function, f"self.{function.attr} is not a layer assigned in "
                                           "__init__")
            if len(node.args) != 1 or node.keywords:
                raise self.error(node, f"self.{function.attr} takes the tensor only")
            self.apply(node.args[0], tensor, attributes, steps)
            steps.append((function.attr, attributes[function.attr]))
            return
        # x.view(x.size(0), -1), x.flatten(1), x.relu()
        if isinstance(function, ast.Attribute) and not self._is_module(function.value):
            self.apply(function.value, tensor, attributes, steps)
            steps.append(self.method_step(node, function, tensor))
            return
        name = self.dotted(function) or ""
        short = name.rsplit(".", 1)[-1]
        module = name.rsplit(".", 1)[0] if "." in name else ""
        if module not in ("torch", "torch.nn.functional") or short not in functions() or \
                (module == "torch" and short not in ("relu", "sigmoid", "tanh", "flatten")):
            raise self.error(function, f"{name or 'this call'} is not a supported step; "
                                       f"forward reads self.<layer>(x), F.{', F.'.join(functions())}"
                                       f", torch.relu/sigmoid/tanh/flatten and x.view(x.size(0),"
                                       f" -1)")
        if not node.args:
            raise self.error(node, f"{short} needs the tensor as its first argument")
        self.apply(node.args[0], tensor, attributes, steps)
        args, kwargs = self.call_arguments(node, skip=1)
        kwargs.pop("inplace", None)
        if short == "flatten" and not args and "start_dim" not in kwargs:
            args = [0]  # torch.flatten(x) starts at dim 0, nn.Flatten at 1
        self._count_layer(node)
        steps.append((short, self.construct(node, functions()[short], args, kwargs)))

    def _is_module(self, node: ast.AST) -> bool:
        return (self.dotted(node) or "").split(".")[0] in ("torch", "F", "nn") or \
            self.dotted(node) in ("torch.nn.functional", "torch.nn")

    def method_step(self, node: ast.Call, function: ast.Attribute, tensor: str):
        method = function.attr
        self._count_layer(node)
        if method in ("view", "reshape"):
            first = node.args[0] if len(node.args) == 2 else None
            size_call = isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute) \
                and first.func.attr == "size" and isinstance(first.func.value, ast.Name) \
                and first.func.value.id == tensor and len(first.args) == 1 \
                and isinstance(first.args[0], ast.Constant) and first.args[0].value == 0
            if size_call and self.literal(node.args[1]) == -1 and not node.keywords:
                return ("flatten", simple.Flatten())
            raise self.error(node, f"x.{method} is read as x.{method}(x.size(0), -1) only "
                                   "(the same as torch.flatten(x, 1))")
        if method == "flatten":
            args, kwargs = self.call_arguments(node)
            if not args and "start_dim" not in kwargs:
                args = [0]  # x.flatten() starts at dim 0, nn.Flatten at 1
            return ("flatten", self.construct(node, simple.Flatten, args, kwargs))
        if method in ("relu", "sigmoid", "tanh") and not node.args and not node.keywords:
            return (method, functions()[method]())
        raise self.error(function, f"x.{method}(...) is not supported; forward reads "
                                   "x.view(x.size(0), -1), x.flatten(1), x.relu()")

    # --- the module ---------------------------------------------------------------------

    def read_constants(self, statement: ast.AST) -> bool:
        """``nz = 100`` or ``nz, ngf = 100, 64`` at the top level: names later arguments may
        use. True when the statement was one (its values literals, as arguments are)."""
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            return False
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name) and not isinstance(value, (ast.Call, ast.List)):
            pairs = [(target, value)]
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and \
                len(target.elts) == len(value.elts) and \
                all(isinstance(name, ast.Name) for name in target.elts):
            pairs = list(zip(target.elts, value.elts))
        else:
            return False
        for name, item in pairs:
            if len(self.constants) >= MAX_LAYERS:
                raise self.error(name, f"at most {MAX_LAYERS} named values are read")
            self.constants[name.id] = self.literal(item)
        return True

    def module(self, tree: ast.Module) -> Sequential:
        model = None
        for statement in tree.body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                self.read_import(statement)
            elif _is_docstring(statement):
                continue
            elif isinstance(statement, ast.ClassDef):
                self.classes[statement.name] = statement
                model = statement
            elif self.read_constants(statement):
                continue
            elif isinstance(statement, (ast.Assign, ast.Expr)):
                if isinstance(statement, ast.Assign) and not (
                        len(statement.targets) == 1 and isinstance(statement.targets[0],
                                                                   ast.Name)):
                    raise self.error(statement, "assign the model to one name: "
                                                "model = nn.Sequential(...)")
                model = statement.value
            else:
                raise self.error(statement, f"{type(statement).__name__} statements are not "
                                            "read; " + SUPPORTED)
        if model is None:
            raise ModelCodeError("no model found; " + SUPPORTED)
        if isinstance(model, ast.ClassDef):
            return self.model_class(model)
        if isinstance(model, ast.Call) and isinstance(model.func, ast.Name) and \
                model.func.id in self.classes:
            if model.args or model.keywords:
                raise self.error(model, f"{model.func.id}() is read without arguments")
            return self.model_class(self.classes[model.func.id])
        result = self.layer(model)
        return result if isinstance(result, Sequential) else Sequential(result)


def _is_docstring(statement: ast.AST) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and \
        isinstance(statement.value.value, str)


def _is_super_init(statement: ast.AST) -> bool:
    """``super().__init__()`` or ``super(Net, self).__init__()``."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    call = statement.value
    return isinstance(call.func, ast.Attribute) and call.func.attr == "__init__" and \
        isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name) \
        and call.func.value.func.id == "super" and not call.args and not call.keywords


def parse_model(code: str, seed: int = 0) -> Sequential:
    """The model that ``code`` describes, read with ``ast`` and never run.

    Parameters
    ----------
    code : str
        ``nn.Sequential(...)``, a list of layers, or a ``class Net(nn.Module)``.
    seed : int
        Seeds the initial weights of Conv2d, ConvTranspose2d and Linear (torch's
        distributions; each layer its own stream).

    Returns
    -------
    Sequential

    Raises
    ------
    ModelCodeError
        A ValueError naming the line and column, and what is supported.
    """
    if not isinstance(code, str):
        raise ModelCodeError(f"model code must be text, got {type(code).__name__}")
    if len(code) > MAX_CHARACTERS:
        raise ModelCodeError(f"model code is limited to {MAX_CHARACTERS:,} characters, got "
                             f"{len(code):,}")
    if _nesting(code) > MAX_NESTING:
        raise ModelCodeError(f"brackets nest more than {MAX_NESTING} deep")
    try:
        tree = ast.parse(code, mode="exec")
    except SyntaxError as error:
        line = error.lineno or 1
        raise ModelCodeError(f"Python syntax error: {error.msg}", line,
                             max(error.offset or 1, 1)) from None
    except (ValueError, MemoryError, RecursionError) as error:
        raise ModelCodeError(f"model code cannot be read: {error}") from None
    if _tree_depth(tree) > MAX_TREE_DEPTH:
        raise ModelCodeError(f"the code nests more than {MAX_TREE_DEPTH} levels deep "
                             "(long chains of operators or attributes)")
    return Reader(code, seed).module(tree)


def _tree_depth(tree: ast.AST) -> int:
    """The syntax tree's depth, walked without recursion (a hostile tree is deep)."""
    deepest, pending = 0, [(tree, 1)]
    while pending:
        node, depth = pending.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_TREE_DEPTH:
            break
        pending.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest
