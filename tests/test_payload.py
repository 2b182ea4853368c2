"""Every view and step a kind answers keeps the contract of convscope.kinds.payload:
declared fields only, the required ones present, each value of a declared type."""

import pytest

from convscope.kinds import KINDS
from convscope.kinds.payload import STEP, VIEW, problems, type_of
from convscope.page.session import Session
from convscope.page.settings import DATA_ARGUMENTS
from convscope.page.warm_up import kind_defaults


def setups():
    """Every kind's defaults (batch 2, a non-square input), then every choice of every
    setting one at a time, with the settings it applies with."""
    for kind in KINDS.values():
        base = {**kind_defaults(kind), "batch": 2, "input_size": [6, 7]}
        yield f"{kind.name}", base
        for argument in (*kind.arguments, *DATA_ARGUMENTS):
            for choice in argument.choices:
                if choice != base.get(argument.name) and choice != "picture":
                    yield (f"{kind.name}-{argument.name}={choice}",
                           {**base, **dict(argument.when), argument.name: choice})


SETUPS = dict(setups())


@pytest.fixture(scope="module")
def payloads():
    """{setup: (view, [first, middle and last step])} for every setup the engine takes."""
    computed = {}
    for name, config in SETUPS.items():
        session = Session()
        view = session.compute(config)
        if "error" not in view:
            computed[name] = view, [session.step(i) for i in (0, view["steps"] // 2, -1)]
    return computed


def test_views_and_steps_keep_the_contract(payloads):
    # most setups compute (a few choices are refused with the others at their defaults)
    assert len(payloads) >= 70 and len(payloads) >= 0.75 * len(SETUPS)
    assert {view["layer"] for view, _ in payloads.values()} == set(KINDS)
    broken = {name: problems(view, VIEW) + [problem for step in steps
                                           for problem in problems(step, STEP)]
              for name, (view, steps) in payloads.items()}
    assert {name: found for name, found in broken.items() if found} == {}


def test_every_declared_field_is_answered_somewhere(payloads):
    """A field no kind answers is a dead declaration (or a renderer reading nothing)."""
    seen_view = {key for view, _ in payloads.values() for key in view}
    seen_step = {key for _, steps in payloads.values() for step in steps for key in step}
    assert set(VIEW) - seen_view == set()
    assert set(STEP) - seen_step == set()


def test_the_check_finds_what_breaks_the_contract(payloads):
    view, (step, *_) = payloads["conv2d"]
    assert problems({**view, "output_steps_typo": True}, VIEW) == ["output_steps_typo: not declared"]
    assert problems({k: v for k, v in step.items() if k != "reads"}, STEP) == ["reads: missing"]
    assert problems({**view, "steps": "9"}, VIEW) == ["steps: str, declared int"]
    assert type_of({"shape": [1], "data": b"\0" * 8}) == "array"
