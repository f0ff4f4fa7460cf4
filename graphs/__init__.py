"""The symbolic layer: recurrence text → circuit Graph → unfolded Graph (standard library only)."""
from .circuit import parse
from .ir import Edge, Graph, Node
from .parse import ParseError

__all__ = ["parse", "Graph", "Node", "Edge", "ParseError"]
