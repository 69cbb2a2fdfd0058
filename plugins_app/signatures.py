"""Task signatures read from Python source with ``ast``: the code is parsed, never imported or run.

Dioptra's ``pluginTaskSignatureAnalysis``: a module that imports ``dioptra.pyplugs`` declares its
tasks with ``@pyplugs.register`` (under any alias, bare or called), and only those functions
count; any other module offers every public top-level function. Each task reads as
``{name, inputs: [{name, type, required}], outputs: [{name, type}], missing_types: [...]}``:

- annotations map to type names as Dioptra does (``str`` -> ``string``, ``int`` -> ``integer``,
  ``float`` -> ``number``, ``bool`` -> ``boolean``, ``None`` -> ``null``; other annotations to a
  lower-case name derived from their source, such as ``np.ndarray`` -> ``np_ndarray``, which is
  listed in ``missing_types`` with the annotation as ``description`` and, where the annotation
  has one, a suggested ``structure``; annotations no name can be derived from get ``type1``...);
- a parameter without an annotation is ``any`` (Dioptra invents ``type1``... there);
- ``required`` means no default; ``*args``/``**kwargs`` are not task parameters;
- the return annotation is the one output, named ``output``; none or ``-> None``: no output.
"""

import ast
import re

from entrypoints.taskgraph import BUILTIN_TYPE_NAMES

PYTHON_TO_TYPE = {
    "str": "string",
    "int": "integer",
    "float": "number",
    "bool": "boolean",
    "None": "null",
}
PYPLUGS = "dioptra.pyplugs"
REGISTER = f"{PYPLUGS}.register"
OUTPUT_NAME = "output"
UNANNOTATED_TYPE = "any"
MAX_STRUCTURE_DEPTH = 8

SYNTAX_ERROR = "Line {line}, column {column}: {message}"
UNPARSABLE = "The code cannot be parsed: {message}"
TOO_COMPLEX = "The code is too deeply nested to analyse."


class SourceError(ValueError):
    """The source is not Python this analysis can read; the message names the line."""


def analyse_tasks(source: str) -> list[dict]:
    """The task signatures declared in ``source`` (see the module docstring for the shapes)."""
    try:
        tree = ast.parse(source)
        return [_signature(function) for function in _task_functions(tree)]
    except SyntaxError as error:
        raise SourceError(
            SYNTAX_ERROR.format(line=error.lineno or 1, column=error.offset or 1, message=error.msg)
        ) from error
    except ValueError as error:  # e.g. null bytes in the source
        raise SourceError(UNPARSABLE.format(message=error)) from error
    except (RecursionError, MemoryError) as error:
        raise SourceError(TOO_COMPLEX) from error


# Which functions are tasks -----------------------------------------------------------------------


def _dotted(node) -> str | None:
    """``a.b.c`` for a name or attribute chain (the callee when it is a call), else None."""
    if isinstance(node, ast.Call):
        node = node.func
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


def _bind_imports(statement, aliases: dict[str, str]) -> list[str]:
    """Record what each name bound by an import stands for; return the dotted paths imported."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            top = alias.name.split(".")[0]
            aliases[alias.asname or top] = alias.name if alias.asname else top
        return [alias.name for alias in statement.names]
    if statement.level or not statement.module:  # relative imports cannot be resolved
        return []
    paths = [f"{statement.module}.{alias.name}" for alias in statement.names]
    for alias, path in zip(statement.names, paths, strict=True):
        aliases[alias.asname or alias.name] = path
    return paths


def _qualified(name: str, aliases: dict[str, str]) -> str | None:
    head, _, rest = name.partition(".")
    if head not in aliases:
        return None
    return f"{aliases[head]}.{rest}" if rest else aliases[head]


def _task_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    aliases: dict[str, str] = {}
    registered, public, uses_pyplugs = [], [], False
    for statement in tree.body:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            paths = _bind_imports(statement, aliases)
            uses_pyplugs |= any(f"{path}.".startswith(f"{PYPLUGS}.") for path in paths)
        elif isinstance(statement, ast.FunctionDef):
            names = (_dotted(decorator) for decorator in statement.decorator_list)
            if any(name and _qualified(name, aliases) == REGISTER for name in names):
                registered.append(statement)
            if not statement.name.startswith("_"):
                public.append(statement)
    return registered if uses_pyplugs else public


# Types -------------------------------------------------------------------------------------------


def _type_name(annotation) -> str | None:
    """Dioptra's derivation of a type name from an annotation, or None when there is none."""
    if isinstance(annotation, ast.Constant) and annotation.value is None:
        return "null"
    if isinstance(annotation, ast.Name):
        text = annotation.id
    elif isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        text = annotation.value
    elif isinstance(annotation, ast.Subscript | ast.BinOp | ast.Attribute) and (
        not isinstance(annotation, ast.Attribute) or _dotted(annotation)
    ):
        text = ast.unparse(annotation)
    else:
        return None
    name = re.sub(r"\W+", "_", text.strip().lower().replace(" ", ""))
    name = re.sub("_+", "_", name).strip("_")
    name = PYTHON_TO_TYPE.get(name, name)
    return name if name and name[0].isalpha() else None


def _structure(annotation, depth: int = 0):
    """A structure suggested by a container annotation: ``list[str]`` -> ``{"list": "string"}``."""
    if depth > MAX_STRUCTURE_DEPTH:
        return None
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return {"union": [_member(annotation.left, depth), _member(annotation.right, depth)]}
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.value, ast.Name):
        return None
    members = (
        annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    )
    items = [_member(member, depth) for member in members]
    kind = annotation.value.id.lower()
    if kind == "list" and len(items) == 1:
        return {"list": items[0]}
    if kind == "tuple":
        return {"tuple": items}
    if kind == "dict" and len(items) == 2:
        return {"mapping": items}
    if kind == "union":
        return {"union": items}
    if kind == "optional" and len(items) == 1:
        return {"union": [items[0], "null"]}
    return None


def _member(annotation, depth: int):
    return _structure(annotation, depth + 1) or _type_name(annotation) or UNANNOTATED_TYPE


def _signature(function: ast.FunctionDef) -> dict:
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + list(arguments.defaults)
    params = [
        *zip(positional, defaults, strict=True),
        *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
    ]
    annotated = [(arg.arg, arg.annotation, default is None) for arg, default in params]
    returns = function.returns
    if returns is not None and not (isinstance(returns, ast.Constant) and returns.value is None):
        annotated.append((None, returns, None))

    derived = {_type_name(annotation) for _, annotation, _ in annotated if annotation is not None}
    invented: dict[str, str] = {}  # annotation source -> generated name, reused when repeated
    missing: dict[str, dict] = {}
    inputs, outputs = [], []
    for name, annotation, required in annotated:
        if annotation is None:
            type_name = UNANNOTATED_TYPE
        else:
            source = ast.unparse(annotation)
            type_name = _type_name(annotation) or invented.get(source)
            if type_name is None:
                type_name = _unused_name(derived | set(invented.values()))
                invented[source] = type_name
            if type_name not in BUILTIN_TYPE_NAMES and type_name not in missing:
                missing[type_name] = {
                    "name": type_name,
                    "description": source,
                    "structure": _structure(annotation),
                }
        if name is None:
            outputs.append({"name": OUTPUT_NAME, "type": type_name})
        else:
            inputs.append({"name": name, "type": type_name, "required": required})
    return {
        "name": function.name,
        "inputs": inputs,
        "outputs": outputs,
        "missing_types": list(missing.values()),
    }


def _unused_name(taken: set) -> str:
    counter = 1
    while f"type{counter}" in taken:
        counter += 1
    return f"type{counter}"
