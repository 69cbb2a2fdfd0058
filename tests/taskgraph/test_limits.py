"""The safety caps at their boundaries, for texts and for mappings."""

from __future__ import annotations

import yaml

from entrypoints.taskgraph import Limits, validate_document

from .helpers import DECLARATIONS


def nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = {"a": value}
    return value


def test_default_caps():
    assert Limits() == Limits(max_bytes=256 * 1024, max_steps=1000, max_depth=32)


def test_depth_counts_nested_collections_for_texts_and_mappings():
    for depth, over in ((32, False), (33, True)):
        value = nested(depth)
        for source in (value, yaml.safe_dump(value)):
            codes = [issue.code for issue in validate_document(source).issues]
            assert ("E_LIMIT_DEPTH" in codes) is over
            if over:
                assert codes == ["E_LIMIT_DEPTH"]


def test_a_mapping_that_contains_itself_is_over_the_depth_cap():
    document: dict = {"tasks": {}, "graph": {}}
    document["graph"]["loop"] = document
    assert [issue.code for issue in validate_document(document).issues] == ["E_LIMIT_DEPTH"]


def test_steps_cap_boundary():
    def graph(steps: int) -> str:
        return DECLARATIONS + "graph:\n" + "".join(f"  s{i}: {{ping: []}}\n" for i in range(steps))

    assert validate_document(graph(1000)).valid
    codes = [issue.code for issue in validate_document(graph(1001)).issues]
    assert codes == ["E_LIMIT_STEPS"]
    assert validate_document(graph(11), limits=Limits(max_steps=11)).valid


def test_size_cap_boundary_in_bytes():
    text = DECLARATIONS + "graph:\n  s: {ping: []}\n"
    size = len(text.encode())
    assert validate_document(text, limits=Limits(max_bytes=size)).valid
    result = validate_document(text, limits=Limits(max_bytes=size - 1))
    assert [issue.code for issue in result.issues] == ["E_LIMIT_SIZE"]
    assert str(size) in result.issues[0].message.replace(",", "")


def test_mapping_input_is_not_size_capped_but_steps_are():
    document = {
        "tasks": {"t": {"plugin": "a.b"}},
        "graph": {f"s{i}": {"t": []} for i in range(5)},
    }
    assert validate_document(document).valid
    result = validate_document(document, limits=Limits(max_steps=4, max_bytes=1))
    assert [issue.code for issue in result.issues] == ["E_LIMIT_STEPS"]


def _union_chain(count: int) -> str:
    lines = [f"  U{i}: {{union: [U{i + 1}, string]}}" for i in range(count)]
    return (
        "types:\n"
        + "\n".join(lines)
        + f"\n  U{count}: null\n"
        + "parameters: {p: {type: U0}, q: {type: U0, default: 1}}\n"
        + "tasks: {t: {plugin: a.b, inputs: [{x: U0}, {y: U0}]}}\n"
        + "graph: {s: {t: [$p, 1]}}\n"
    )


def test_comparing_deeply_nested_types_is_capped_not_a_recursion_error():
    # a chain of unions is legal to define; comparing against it walks the whole chain
    shallow = validate_document(_union_chain(99))
    assert sorted(issue.code for issue in shallow.issues) == [
        "E_ARG_TYPE_MISMATCH",
        "E_PARAM_DEFAULT_TYPE_MISMATCH",
    ]
    for count in (100, 5000):
        for source in (_union_chain(count), yaml.safe_load(_union_chain(count))):
            result = validate_document(source)
            assert [issue.code for issue in result.issues] == ["E_LIMIT_DEPTH"] * 2
            assert [issue.path for issue in result.issues] == [
                ["parameters", "q", "default"],
                ["graph", "s", "t", 1],
            ]
            assert all("more than 100 levels deep" in issue.message for issue in result.issues)
