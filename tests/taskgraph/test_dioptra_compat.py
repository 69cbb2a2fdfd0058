"""Verdicts on Dioptra-style full documents: valid/invalid as NIST Dioptra's validator decides
(its JSON schema plus its hand-written checks), except where our rules deliberately differ."""

from __future__ import annotations

import pytest

from entrypoints.taskgraph import validate_document

BASE = """\
types:
  image: null
parameters:
  p: 1
  s: {type: string, default: x}
tasks:
  one: {plugin: a.b.one, inputs: [{x: any}], outputs: {out: any}}
  two:
    plugin: a.b.two
    inputs: [{x: any}, {name: y, type: integer, required: false}]
    outputs: [{a: any}, {b: image}]
  none: {plugin: a.b.none}
"""


def doc(graph: str, base: str = BASE) -> str:
    return base + "graph:\n" + "".join(f"  {line}\n" for line in graph.strip("\n").split("\n"))


VALID = {
    "positional": doc("s1:\n  one: [$p]"),
    "keyword": doc("s1:\n  two: {x: $s, y: 3}"),
    "mixed with a scalar args": doc("s1:\n  task: one\n  args: hello"),
    "mixed with null args is one argument": doc("s1:\n  task: one\n  args: null"),
    "short form with null is one argument": doc("s1:\n  one:"),
    "no inputs": doc("s1:\n  task: none\ns2:\n  none: []\ns3:\n  none: {}"),
    "outputs by name": doc("s1:\n  two: [1]\ns2:\n  one: [$s1.a]\ns3:\n  two: [$s1.b]"),
    "single output": doc("s1:\n  one: [1]\ns2:\n  one: [$s1]\ns3:\n  one: [$s1.out]"),
    "dependencies as a string": doc("s1:\n  none: []\ns2:\n  none: []\n  dependencies: s1"),
    "escapes and dollars": doc("s1:\n  one: [['$$x', '$', 'cost $5', '$$']]"),
    "references deep inside": doc("s1:\n  one: [{a: [$p, {b: $s}]}]"),
    "parameter forms": doc(
        "s1:\n  none: []",
        BASE.replace("  p: 1\n", "  p: 1\n  l: [1, 2]\n  n: null\n  t: {type: image}\n"),
    ),
    "type shapes": doc(
        "s1:\n  none: []",
        BASE.replace(
            "  image: null\n",
            "  image: null\n  plain: {}\n  sub: {is_a: image}\n  names: {list: string}\n  pair: "
            "{tuple: [string, {list: integer}]}\n"
            "  rec: {mapping: {a: integer}}\n  table: {mapping: [string, number]}\n  id: {union: "
            "[string, integer]}\n  empty: {tuple: []}\n",
        ),
    ),
    "integer fits number, tuple fits list": doc(
        "s1:\n  nums: [[1, 2.5]]",
        BASE.replace(
            "  none: {plugin: a.b.none}\n",
            "  none: {plugin: a.b.none}\n  nums: {plugin: a.b.nums, inputs: [{v: numbers}]}\n",
        ).replace("  image: null\n", "  image: null\n  numbers: {list: number}\n"),
    ),
    "empty and odd input names": doc(
        "s1:\n  odd: [1, 2]",
        BASE.replace(
            "  none: {plugin: a.b.none}\n",
            "  none: {plugin: a.b.none}\n  odd: {plugin: a.b.odd, inputs: [{'': any}, {name: ' "
            "', type: any}]}\n",
        ),
    ),
    "unused task with any name": doc(
        "s1:\n  none: []", BASE.replace("  none:", "  my-task: {plugin: a.b.c}\n  none:")
    ),
    "artifact inputs": doc(
        "s1:\n  one: [$w]\ns2:\n  two: [$pair.first]",
        BASE.replace(
            "tasks:\n",
            "artifact_inputs:\n  w: {state: any}\n  pair: [{first: any}, {second: any}]\ntasks:\n",
        ),
    ),
    "timestamp inside an argument list, input any": doc("s1:\n  one: [2024-01-01]"),
    "task names are free (Dioptra accepts `taskalias1:v2`)": doc(
        "s1:\n  my-task: []\ns2:\n  task: 'alias:v2'",
        BASE.replace(
            "  none:", "  my-task: {plugin: a.b.c}\n  'alias:v2': {plugin: a.b.d}\n  none:"
        ),
    ),
    "empty dependencies": doc("s1:\n  none: []\n  dependencies: []"),
}

INVALID = {
    "unknown section": doc("s1:\n  none: []") + "extra: {}\n",
    "missing tasks": "graph:\n  s1: {none: []}\n",
    "empty tasks": "tasks: {}\ngraph:\n  s1: {none: []}\n",
    "empty graph": BASE + "graph: {}\n",
    "null parameters section": doc("s1:\n  none: []").replace(
        "parameters:\n  p: 1\n  s: {type: string, default: x}\n", "parameters:\n"
    ),
    "null artifact_outputs": doc("s1:\n  none: []") + "artifact_outputs:\n",
    "null artifact_inputs": doc(
        "s1:\n  none: []", BASE.replace("tasks:\n", "artifact_inputs:\ntasks:\n")
    ),
    "null types": doc("s1:\n  none: []", BASE.replace("  image: null\n", "")),
    "step that is not a mapping": doc("s1: [none]"),
    "step with two tasks": doc("s1:\n  one: [1]\n  none: []"),
    "step with only dependencies": doc("s1:\n  dependencies: []"),
    "empty step": doc("s1: {}"),
    "parameter with an empty output name (Dioptra's runner cannot resolve it)": doc(
        "s1:\n  one: [$p.]"
    ),
    "mixed task named dependencies": doc("s1:\n  task: dependencies"),
    "mixed with an unknown key": doc("s1:\n  task: none\n  with: 1"),
    "mixed args as a mapping": doc("s1:\n  task: one\n  args: {x: 1}"),
    "mixed kwargs as a list": doc("s1:\n  task: one\n  kwargs: [1]"),
    "timestamp as the positional value": doc("s1:\n  one: 2024-01-01"),
    "dependencies not names": doc("s1:\n  none: []\n  dependencies: [1]"),
    "unknown dependency": doc("s1:\n  none: []\n  dependencies: [s9]"),
    "cycle": doc("s1:\n  one: [$s2]\ns2:\n  one: [$s1]"),
    "self dependency": doc("s1:\n  none: []\n  dependencies: [s1]"),
    "unknown task": doc("s1:\n  three: []"),
    "too many positional": doc("s1:\n  one: [1, 2]"),
    "unknown keyword": doc("s1:\n  one: {x: 1, z: 2}"),
    "assigned twice": doc("s1:\n  task: two\n  args: [1]\n  kwargs: {x: 2}"),
    "missing required": doc("s1:\n  two: {y: 1}"),
    "reference to no output": doc("s1:\n  none: []\ns2:\n  one: [$s1]"),
    "output name required": doc("s1:\n  two: [1]\ns2:\n  one: [$s1]"),
    "unknown output": doc("s1:\n  two: [1]\ns2:\n  one: [$s1.c]"),
    "empty output name on a step": doc("s1:\n  one: [1]\ns2:\n  one: [$s1.]"),
    "parameter with output": doc("s1:\n  one: [$p.x]"),
    "unresolvable": doc("s1:\n  one: [$nothing]"),
    "parameter and step collide": doc("p:\n  none: []"),
    "parameter name with a dot": doc("s1:\n  none: []", BASE.replace("  p: 1", "  p.q: 1")),
    "step name with a dot": doc("s.1:\n  none: []"),
    "non-string step name": doc("1:\n  none: []"),
    "blank task name": doc(
        "s1:\n  none: []", BASE.replace("  none:", "  ' ': {plugin: a.b.c}\n  none:")
    ),
    "plugin without a dot": doc("s1:\n  none: []", BASE.replace("a.b.none", "nodot")),
    "plugin with an empty part": doc("s1:\n  none: []", BASE.replace("a.b.none", "a..none")),
    "plugin missing": doc("s1:\n  none: []", BASE.replace("{plugin: a.b.none}", "{inputs: []}")),
    "task with an unknown key": doc(
        "s1:\n  none: []", BASE.replace("{plugin: a.b.none}", "{plugin: a.b.none, doc: x}")
    ),
    "inputs null": doc(
        "s1:\n  none: []", BASE.replace("{plugin: a.b.none}", "{plugin: a.b.none, inputs: null}")
    ),
    "input named name in short form": doc(
        "s1:\n  none: []",
        BASE.replace("{plugin: a.b.none}", "{plugin: a.b.none, inputs: [{name: string}]}"),
    ),
    "input with two keys": doc(
        "s1:\n  none: []",
        BASE.replace("{plugin: a.b.none}", "{plugin: a.b.none, inputs: [{a: string, b: string}]}"),
    ),
    "input with a non-boolean required": doc(
        "s1:\n  none: []",
        BASE.replace(
            "{name: y, type: integer, required: false}", "{name: y, type: integer, required: no_}"
        ),
    ),
    "duplicate inputs": doc(
        "s1:\n  none: []",
        BASE.replace("[{x: any}], outputs: {out", "[{x: any}, {x: any}], outputs: {out"),
    ),
    "duplicate outputs": doc(
        "s1:\n  none: []", BASE.replace("[{a: any}, {b: image}]", "[{a: any}, {a: image}]")
    ),
    "empty outputs mapping": doc(
        "s1:\n  none: []", BASE.replace("outputs: {out: any}", "outputs: {}")
    ),
    "outputs mapping with two entries": doc(
        "s1:\n  none: []", BASE.replace("outputs: {out: any}", "outputs: {a: any, b: any}")
    ),
    "undefined input type": doc(
        "s1:\n  none: []",
        BASE.replace("[{x: any}], outputs: {out", "[{x: anything}], outputs: {out"),
    ),
    "undefined output type": doc("s1:\n  none: []", BASE.replace("{b: image}", "{b: picture}")),
    "parameter mapping without keys": doc("s1:\n  none: []", BASE.replace("  p: 1", "  p: {}")),
    "parameter mapping with other keys": doc(
        "s1:\n  none: []", BASE.replace("  p: 1", "  p: {default: 1, help: x}")
    ),
    "undefined parameter type": doc(
        "s1:\n  none: []", BASE.replace("{type: string, default: x}", "{type: str, default: x}")
    ),
    "default does not fit": doc(
        "s1:\n  none: []", BASE.replace("{type: string, default: x}", "{type: integer, default: x}")
    ),
    "argument type mismatch": doc("s1:\n  two: [1, y]"),
    "type redefines a builtin": doc(
        "s1:\n  none: []", BASE.replace("  image: null\n", "  image: null\n  number: null\n")
    ),
    "type cycle": doc(
        "s1:\n  none: []",
        BASE.replace("  image: null\n", "  image: null\n  a: {list: b}\n  b: {list: a}\n"),
    ),
    "undefined type reference": doc(
        "s1:\n  none: []", BASE.replace("  image: null\n", "  image: null\n  a: {list: c}\n")
    ),
    "structured supertype": doc(
        "s1:\n  none: []",
        BASE.replace("  image: null\n", "  image: null\n  a: {list: image}\n  b: {is_a: a}\n"),
    ),
    "bad mapping key type": doc(
        "s1:\n  none: []",
        BASE.replace("  image: null\n", "  image: null\n  a: {mapping: [image, string]}\n"),
    ),
    "two structures": doc(
        "s1:\n  none: []",
        BASE.replace("  image: null\n", "  image: null\n  a: {list: image, tuple: [image]}\n"),
    ),
    "type defined as a name": doc(
        "s1:\n  none: []", BASE.replace("  image: null\n", "  image: null\n  a: image\n")
    ),
    "anonymous simple type inside": doc(
        "s1:\n  none: []",
        BASE.replace("  image: null\n", "  image: null\n  a: {list: {is_a: image}}\n"),
    ),
    "kv mapping of three": doc(
        "s1:\n  none: []",
        BASE.replace(
            "  image: null\n", "  image: null\n  a: {mapping: [string, string, string]}\n"
        ),
    ),
    "artifact input output with two entries": doc(
        "s1:\n  none: []",
        BASE.replace("tasks:\n", "artifact_inputs:\n  w: {a: any, b: any}\ntasks:\n"),
    ),
    "artifact input unknown output": doc(
        "s1:\n  one: [$w.other]",
        BASE.replace("tasks:\n", "artifact_inputs:\n  w: [{a: any}, {b: any}]\ntasks:\n"),
    ),
    "artifact output without task": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: $s1}\n",
    "artifact contents not a string": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: 3, task: {name: T}}\n",
    "artifact contents unresolvable": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: $s2, task: {name: T}}\n",
    "artifact task with an unknown key": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: $s1, task: {name: T, extra: 1}}\n",
    "complex mapping key": doc("s1:\n  one: [{? [a] : 1}]"),
    "python tag": doc("s1:\n  one: [!!python/name:os.system '']"),
    "custom tag": doc("s1:\n  one: [!secret x]"),
    "two documents": doc("s1:\n  none: []") + "---\n{}\n",
    "not YAML": doc("s1:\n  one: [1"),
}

# Where our rules deliberately differ from Dioptra's: Dioptra accepts these, we refuse them
# (every repeated key, alias and name collision is an error; a union needs a member; an artifact
# input needs an output and no dot; references in artifact arguments must resolve)...
REFUSED_ON_PURPOSE = {
    "duplicate key (PyYAML keeps the last)": doc("s1:\n  none: []\ns1:\n  one: [1]"),
    "anchors and aliases": doc("s1:\n  one: &a [1]\ns2:\n  one: *a"),
    "empty union (a simple type in Dioptra)": doc(
        "s1:\n  none: []", BASE.replace("  image: null\n", "  image: null\n  u: {union: []}\n")
    ),
    "artifact input without outputs": doc(
        "s1:\n  none: []", BASE.replace("tasks:\n", "artifact_inputs:\n  w: []\ntasks:\n")
    ),
    "artifact input named like a step": doc(
        "w:\n  none: []", BASE.replace("tasks:\n", "artifact_inputs:\n  w: {a: any}\ntasks:\n")
    ),
    "artifact input name with a dot": doc(
        "s1:\n  none: []", BASE.replace("tasks:\n", "artifact_inputs:\n  w.x: {a: any}\ntasks:\n")
    ),
    "unresolvable reference in artifact arguments": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: $s1, task: {name: T, args: {f: $nope}}}\n",
}
# ... and accept these, which Dioptra's schema refuses (the seed's artifact styles, our extension).
ACCEPTED_ON_PURPOSE = {
    "artifact task with positional args and kwargs": doc("s1:\n  one: [1]") + "artifact_outputs:\n"
    "  o: {contents: $s1, task: {name: T, args: [csv], kwargs: {index: false}}}\n",
    "artifact task names are not checked without a list": doc("s1:\n  one: [1]")
    + "artifact_outputs:\n  o: {contents: $s1, task: {name: T}}\n",
    "artifact_tasks section": doc("s1:\n  one: [1]") + "artifact_tasks:\n  T: {plugin: a.b.T}\n"
    "artifact_outputs:\n  o: {contents: $s1, task: {name: T}}\n",
}


@pytest.mark.parametrize("name", list(VALID))
def test_valid_like_dioptra(name):
    result = validate_document(VALID[name])
    assert result.valid, [(i.code, i.message) for i in result.issues]


@pytest.mark.parametrize("name", list(INVALID))
def test_invalid_like_dioptra(name):
    result = validate_document(INVALID[name])
    assert not result.valid
    assert result.errors


@pytest.mark.parametrize("name", list(REFUSED_ON_PURPOSE))
def test_deliberately_refused(name):
    assert not validate_document(REFUSED_ON_PURPOSE[name]).valid


@pytest.mark.parametrize("name", list(ACCEPTED_ON_PURPOSE))
def test_deliberately_accepted(name):
    result = validate_document(ACCEPTED_ON_PURPOSE[name])
    assert result.valid, [(i.code, i.message) for i in result.issues]


def test_artifact_task_names_given_behave_like_dioptras_enum():
    text = ACCEPTED_ON_PURPOSE["artifact task names are not checked without a list"]
    assert validate_document(text, artifact_task_names=["T"]).valid
    assert not validate_document(text, artifact_task_names=["Other"]).valid


def test_invalid_documents_are_reported_without_cascades():
    # one mistake, one issue: the checks that depend on it stay quiet
    for name in (
        "unknown task",
        "undefined input type",
        "cycle",
        "unresolvable",
        "plugin without a dot",
    ):
        assert len(validate_document(INVALID[name]).errors) == 1, name
