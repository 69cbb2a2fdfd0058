"""The task-graph engine: load, validate, model and run entrypoint task graphs.

Pure Python (no Django). Compatible with NIST Dioptra's task engine, with positions on every
issue and safety caps. The names in `__all__` are the public API that the Django side and
outside checks use: add names, never rename these.
"""

from .document import validate_document
from .entrypoint import (
    ENTRYPOINT_PARAMETER_TYPES,
    ArtifactInputSpec,
    EntrypointContext,
    ParameterSpec,
    StaticContext,
    TaskSpec,
    build_document,
    convert_parameter_value,
    read_graphs,
    validate_entrypoint,
)
from .graph_model import GraphArtifactOutput, GraphEdge, GraphModel, GraphStep, graph_model
from .issues import CODES, Issue, ValidationResult
from .limits import Limits
from .run import (
    ArtifactError,
    ArtifactTask,
    InvalidDocumentError,
    MissingParameterError,
    RunError,
    RunHooks,
    RunResult,
    StepError,
    run_document,
)
from .types import BUILTIN_TYPE_NAMES

__all__ = [
    "BUILTIN_TYPE_NAMES",
    "CODES",
    "ENTRYPOINT_PARAMETER_TYPES",
    "ArtifactError",
    "ArtifactInputSpec",
    "ArtifactTask",
    "EntrypointContext",
    "GraphArtifactOutput",
    "GraphEdge",
    "GraphModel",
    "GraphStep",
    "InvalidDocumentError",
    "Issue",
    "Limits",
    "MissingParameterError",
    "ParameterSpec",
    "RunError",
    "RunHooks",
    "RunResult",
    "StaticContext",
    "StepError",
    "TaskSpec",
    "ValidationResult",
    "build_document",
    "convert_parameter_value",
    "graph_model",
    "read_graphs",
    "run_document",
    "validate_document",
    "validate_entrypoint",
]
