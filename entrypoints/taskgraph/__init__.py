"""The task-graph engine: load, validate, model and run entrypoint task graphs.

Pure Python (no Django). Compatible with NIST Dioptra's task engine, with positions on every
issue and safety caps. See `shared/spec/engine-api.md` for the contract.
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

__all__ = [
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
    "run_document",
    "validate_document",
    "validate_entrypoint",
]
