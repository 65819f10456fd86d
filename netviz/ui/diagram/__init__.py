"""The network diagram: nodes, edges, editable labels and pulses in a QGraphicsScene.

Use :class:`DiagramView`; the items (one per file) are implementation details.
"""

from netviz.ui.diagram.view import DiagramView

__all__ = ["DiagramView"]
