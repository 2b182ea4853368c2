"""convscope in Jupyter: ``show`` (the visualizer as a widget) and ``link`` (a page link).

``pip install "convscope[notebook]"`` brings anywidget, the only thing ``show`` needs
beyond convscope; ``link`` needs nothing. Imported lazily: ``import convscope`` stays
NumPy only.
"""

from __future__ import annotations

from .links import link


def show(obj, x=None, **view_options):
    """The visualizer for ``obj`` on ``x`` as a notebook widget, computed by this kernel.

    Parameters
    ----------
    obj : convscope layer, torch module, page link or ``#hash``
        ``Conv2d``, ``ConvTranspose2d``, ``MaxPool2d`` or ``AvgPool2d`` (convscope's or
        torch's, read by their attributes: arguments and a copy of the weights), or a link
        copied from the page (its presets make the weights and input).
    x : array or tensor, optional
        The input, ``(N, C, H, W)`` or ``(C, H, W)``; None: the page's input preset
        (``input=``, ``input_size=``, ``batch=``, ``seed=`` choose it).
    **view_options
        ``step``, ``panels`` (of controls, code, shapes, stage, arithmetic),
        ``theme`` ('auto', 'light', 'dark'), ``autoplay``, and page settings of the
        view such as ``view="gather"`` or ``output_size=(7, 7)`` for a ConvTranspose2d.

    Returns
    -------
    ConvScopeWidget
        ``w.step`` (both ways), ``w.layer`` and ``w.x`` (replace them: the view redraws),
        ``w.steps``, ``w.link(base)``.
    """
    try:
        from .widget import ConvScopeWidget
    except ImportError as error:  # anywidget missing
        raise ImportError('convscope.show needs anywidget: pip install "convscope[notebook]"') \
            from error
    return ConvScopeWidget(obj, x, **view_options)


__all__ = ["show", "link"]
