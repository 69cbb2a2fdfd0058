"""The plugin pages: list, create, a plugin's page (files, tasks, "used by" and sync) and the
file editor (code, suggested tasks as editable rows)."""

import re

import pytest

from entrypoints.models import Entrypoint
from entrypoints.services import entrypoint_plugin_sync_if_valid
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from plugins_app.services import plugin_file_update, plugin_update
from plugins_app.validators import BAD_PLUGIN_NAME
from tests.entrypoints.factories import HELLO_CODE, make_entrypoint, make_hello_plugin
from tests.factories import make_group
from tests.pages import HTMX, MATRIX_ACTORS, READ, WRITE, flashes, text, wrote
from tests.plugins.factories import builtin, function_task, make_file, make_plugin

pytestmark = pytest.mark.django_db

CODE = """import numpy as np


def greet(name: str, times: int = 1) -> str:
    return name * times


def shape(image: np.ndarray):
    return image.shape


def _private():
    pass
"""


@pytest.fixture
def hello(lab, actors):
    return make_hello_plugin(lab, "hello", user=actors["writer"])


def the_file(plugin) -> PluginFile:
    return PluginFile.objects.alive().get(plugin=plugin)


def latest_snapshot(plugin) -> int:
    return plugin.history.order_by("-history_id").values_list("history_id", flat=True).first()


def etag_of(response) -> str:
    return re.search(r'name="etag" value="(\d*)"', response.content.decode()).group(1)


def posted_form(html: str) -> dict:
    """What a browser posts from the file editor as rendered (a user who changes nothing)."""
    data = {}
    for name, value in re.findall(
        r'<input type="(?:text|hidden)" name="([^"]+)" value="([^"]*)"', html
    ):
        data[name] = _unescape(value)
    for name in re.findall(r'<input type="checkbox" name="([^"]+)"[^>]* checked>', html):
        data[name] = "on"
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        if selected := re.search(r'<option value="([^"]*)" selected>', body):
            data[name] = selected.group(1)
    for name, body in re.findall(
        r'<textarea[^>]* name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        data[name] = _unescape(body).removeprefix("\n")
    return data


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


# The list and creating -----------------------------------------------------------------------


def test_the_list_shows_the_groups_plugins_with_files_and_task_counts(hello, as_page_user):
    make_plugin(make_group("elsewhere"), "secret")
    page = text(as_page_user("reader").get("/plugins/"))
    assert "hello" in page and "tasks.py" in page and "secret" not in page
    assert "by writer" in page


def test_the_list_query_count_does_not_grow(lab, as_page_user, django_assert_max_num_queries):
    string = builtin(lab)
    for n in range(30):
        plugin = make_plugin(lab, f"p{n:02}")
        make_file(plugin, "a.py", tasks={"functions": [function_task("f", inputs=[("x", string)])]})
    client = as_page_user("reader")
    # session, user, group filter options, can create, count, page of plugins, their files
    with django_assert_max_num_queries(7):
        page = text(client.get("/plugins/"))
    assert "Page 1 of 2" in page and "p24" in page and "p25" not in page
    found = client.get("/plugins/", {"q": "p0"}, **HTMX).content.decode()
    assert "<html" not in found and "p09" in found and "p10" not in found


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_creating_a_plugin(actor, lab, as_page_user):
    response = as_page_user(actor).post(
        "/plugins/new/", {"group": lab.pk, "name": "vision", "description": "Image tasks"}
    )
    assert response.status_code == {**WRITE, "outsider": 400}[actor]
    created = Plugin.objects.alive().filter(group=lab, name="vision").first()
    assert (created is not None) == wrote(response)
    if created:
        assert response.url == f"/plugins/{created.pk}/" and created.description == "Image tasks"
        assert "Add a Python file" in flashes(response)[0]


@pytest.mark.parametrize(
    ("name", "status", "message"),
    [("not a name", 400, BAD_PLUGIN_NAME), ("hello", 409, "already used"), ("", 400, "required")],
)
def test_refused_plugin_names_say_why(lab, hello, as_page_user, name, status, message):
    response = as_page_user("writer").post("/plugins/new/", {"group": lab.pk, "name": name})
    assert response.status_code == status and message in text(response)
    assert f'value="{name}"' in response.content.decode()


# A plugin's page -----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_reading_a_plugin(actor, hello, as_page_user):
    response = as_page_user(actor).get(f"/plugins/{hello.pk}/")
    assert response.status_code == READ[actor]
    if response.status_code == 200:
        page = text(response)
        assert "tasks.py" in page
        assert "hello_world greeting*: string name*: string message: string" in page
        assert ("Add file" in page) == (actor in ("writer", "superuser"))


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_renaming_a_plugin(actor, hello, as_page_user):
    response = as_page_user(actor).post(
        f"/plugins/{hello.pk}/", {"name": "greetings", "description": "Say hello"}
    )
    assert response.status_code == WRITE[actor]
    hello.refresh_from_db()
    assert hello.name == ("greetings" if wrote(response) else "hello")


def test_a_rename_over_a_newer_rename_is_refused_but_not_over_a_file_edit(hello, as_page_user):
    client = as_page_user("writer")
    etag = etag_of(client.get(f"/plugins/{hello.pk}/"))
    plugin_file_update(
        user=None, plugin_file=the_file(hello), filename="tasks.py", contents="# edited\n"
    )
    assert wrote(client.post(f"/plugins/{hello.pk}/", {"name": "first", "etag": etag}))
    plugin_update(user=None, plugin=Plugin.objects.get(pk=hello.pk), name="theirs")
    stale = client.post(f"/plugins/{hello.pk}/", {"name": "mine", "etag": etag})
    assert stale.status_code == 409 and "it is now 'theirs'" in text(stale)
    assert 'value="mine"' in stale.content.decode()
    again = client.post(f"/plugins/{hello.pk}/", {"name": "mine", "etag": etag_of(stale)})
    assert wrote(again) and Plugin.objects.get(pk=hello.pk).name == "mine"


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_deleting_a_plugin(actor, hello, as_page_user):
    response = as_page_user(actor).post(f"/plugins/{hello.pk}/delete")
    assert response.status_code == WRITE[actor]
    assert Plugin.objects.alive().filter(pk=hello.pk).exists() == (not wrote(response))


def test_an_empty_plugin_says_what_to_do(lab, as_page_user):
    plugin = make_plugin(lab, "empty")
    page = text(as_page_user("writer").get(f"/plugins/{plugin.pk}/"))
    assert "No files yet." in page and "Add a Python file" in page
    assert "No entrypoint uses empty yet." in page


# Used by and sync -------------------------------------------------------------------------------


def change_hello(plugin, *, contents=HELLO_CODE, tasks=None):
    """A new plugin snapshot: the hello task as given (by default unchanged but for a comment)."""
    string = builtin(plugin.group)
    hello_world = function_task(
        "hello_world",
        inputs=[("greeting", string), ("name", string)],
        outputs=[("message", string)],
    )
    plugin_file_update(
        user=None,
        plugin_file=the_file(plugin),
        filename="tasks.py",
        contents=contents + "# changed\n",
        tasks=tasks or {"functions": [hello_world]},
    )


def test_used_by_lists_outdated_entrypoints_with_what_a_sync_would_give(lab, hello, as_page_user):
    fine = make_entrypoint(lab, "fine", plugins=[hello])
    make_entrypoint(lab, "current_one", plugins=[hello])
    change_hello(hello)
    fine.refresh_from_db()
    make_entrypoint(lab, "current_two", plugins=[hello])  # pins the latest
    page = text(as_page_user("reader").get(f"/plugins/{hello.pk}/"))
    assert "3 entrypoints · 2 outdated" in page
    assert f"1 pins the latest snapshot ({latest_snapshot(hello)}); these pin an older one" in page
    assert "fine snapshot" in page and "outdated valid valid" in page
    assert "current_two" not in page.split("Used by")[1]


def test_used_by_shows_what_would_break(lab, hello, as_page_user):
    make_entrypoint(lab, "breaks", plugins=[hello])
    change_hello(hello, tasks={"functions": []})  # the task goes away
    page = text(as_page_user("reader").get(f"/plugins/{hello.pk}/"))
    assert "breaks" in page and "1 error" in page and "E_UNKNOWN_TASK" in page
    assert "hello_world" in page.split("After a sync")[-1]


def test_used_by_query_count_does_not_grow(lab, hello, as_page_user, django_assert_max_num_queries):
    for n in range(25):
        make_entrypoint(lab, f"e{n:02}", plugins=[hello])
    change_hello(hello)
    client = as_page_user("reader")
    # session, user, plugin, files, types of their tasks, snapshot ids, pins of the group's
    # entrypoints, those on the page whole, their plugin snapshots, can write
    with django_assert_max_num_queries(10):
        page = text(client.get(f"/plugins/{hello.pk}/"))
    assert "Page 1 of 2" in page and "e19" in page and "e20" not in page
    second = client.get(f"/plugins/{hello.pk}/?page=2", **HTMX).content.decode()
    assert second.lstrip().startswith('<section id="used-by"') and "e24" in second


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_syncing_from_the_plugin_page(actor, lab, hello, as_page_user):
    fine = make_entrypoint(lab, "fine", plugins=[hello])
    change_hello(hello)
    snapshots = fine.history.count()
    response = as_page_user(actor).post(f"/plugins/{hello.pk}/sync")
    assert response.status_code == WRITE[actor]
    fine.refresh_from_db()
    if wrote(response):
        assert fine.plugin_snapshot_ids == [latest_snapshot(hello)]
        assert fine.history.count() == snapshots + 1 and fine.valid
        assert flashes(response) == [
            f"Synced 1 entrypoint to snapshot {latest_snapshot(hello)} of hello "
            "(one new snapshot each)."
        ]
    else:
        assert fine.history.count() == snapshots


def test_sync_leaves_the_ones_that_would_break(lab, hello, actors, as_page_user):
    string = builtin(lab)
    fine = make_entrypoint(lab, "fine", plugins=[hello])
    broken = make_entrypoint(
        lab, "uses_extra", plugins=[hello], task_graph="x:\n  extra: {}\n", parameters=[]
    )
    extra = function_task("extra")
    hello_world = function_task(
        "hello_world",
        inputs=[("greeting", string), ("name", string)],
        outputs=[("message", string)],
    )
    change_hello(hello, tasks={"functions": [hello_world, extra]})
    make_entrypoint(
        lab, "with_extra", plugins=[hello], task_graph="x:\n  extra: {}\n", parameters=[]
    )
    change_hello(hello)  # extra goes away again: with_extra would break too
    response = as_page_user("writer").post(f"/plugins/{hello.pk}/sync")
    messages = flashes(response)
    assert messages[0].startswith("Synced 1 entrypoint") and "uses_extra" not in messages[0]
    assert messages[1] == "Left 2 that would break: uses_extra, with_extra."
    fine.refresh_from_db()
    broken.refresh_from_db()
    assert fine.plugin_snapshot_ids == [latest_snapshot(hello)]
    assert broken.plugin_snapshot_ids != [latest_snapshot(hello)]


def test_one_entrypoint_can_be_synced_alone(lab, hello, as_page_user):
    one = make_entrypoint(lab, "one", plugins=[hello])
    other = make_entrypoint(lab, "other", plugins=[hello])
    change_hello(hello)
    as_page_user("writer").post(f"/plugins/{hello.pk}/sync", {"entrypoint": one.pk})
    one.refresh_from_db()
    other.refresh_from_db()
    assert one.plugin_snapshot_ids == [latest_snapshot(hello)]
    assert other.plugin_snapshot_ids != [latest_snapshot(hello)]


def test_the_sync_service_writes_one_snapshot_only_when_it_stays_valid(lab, hello):
    entrypoint = make_entrypoint(lab, "e", plugins=[hello], artifact_plugins=[hello])
    assert entrypoint_plugin_sync_if_valid(user=None, entrypoint=entrypoint, plugin=hello) is None
    change_hello(hello)
    count = entrypoint.history.count()
    saved = entrypoint_plugin_sync_if_valid(user=None, entrypoint=entrypoint, plugin=hello)
    latest = latest_snapshot(hello)
    assert saved.plugin_snapshot_ids == [latest] and saved.artifact_plugin_snapshot_ids == [latest]
    assert entrypoint.history.count() == count + 1
    assert entrypoint.history.first().history_change_reason == "Synced plugin hello"
    change_hello(hello, tasks={"functions": []})
    assert entrypoint_plugin_sync_if_valid(user=None, entrypoint=entrypoint, plugin=hello) is None
    assert entrypoint.history.count() == count + 1
    assert Entrypoint.objects.get(pk=entrypoint.pk).plugin_snapshot_ids == [latest]


# The file editor --------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_reading_a_file(actor, hello, as_page_user):
    response = as_page_user(actor).get(f"/plugins/{hello.pk}/files/{the_file(hello).pk}/")
    assert response.status_code == READ[actor]
    if response.status_code == 200:
        html = response.content.decode()
        assert 'data-language="python"' in html and "def hello_world" in html
        assert 'value="hello_world"' in html
        assert ('id="save-button"' in html) == (actor in ("writer", "superuser"))


def test_a_file_of_another_plugin_is_not_found(lab, hello, as_page_user):
    other = make_plugin(lab, "other")
    client = as_page_user("writer")
    assert client.get(f"/plugins/{other.pk}/files/{the_file(hello).pk}/").status_code == 404


def test_suggesting_tasks_fills_the_rows_and_writes_nothing(lab, as_page_user):
    plugin = make_plugin(lab, "vision")
    response = as_page_user("writer").post(
        f"/plugins/{plugin.pk}/files/new/",
        {"filename": "tasks.py", "contents": CODE, "action": "analyze"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<section id="tasks"')
    assert "Found 2 tasks in the code" in text(response)
    form = posted_form(html)
    string, integer = builtin(lab, "string"), builtin(lab, "integer")
    assert form["task-0-name"] == "greet" and form["task-1-name"] == "shape"
    assert form["task-0-in-0-type"] == str(string.pk) and form["task-0-in-0-required"] == "on"
    assert form["task-0-in-1-type"] == str(integer.pk) and "task-0-in-1-required" not in form
    assert form["task-0-out-0-name"] == "output"
    assert form["task-1-in-0-type"] == "new:np_ndarray"
    assert "Saving also creates the types np_ndarray in lab." in text(response)
    assert not PluginFile.objects.filter(plugin=plugin).exists()


def test_code_that_does_not_parse_is_named_at_its_line(lab, as_page_user):
    plugin = make_plugin(lab, "vision")
    response = as_page_user("writer").post(
        f"/plugins/{plugin.pk}/files/new/",
        {"filename": "tasks.py", "contents": "def broken(:\n", "action": "analyze"},
        **HTMX,
    )
    assert "Line 1, column 12" in text(response)


def test_accepting_the_suggestions_saves_the_file_its_tasks_and_the_new_types(lab, as_page_user):
    plugin = make_plugin(lab, "vision")
    client = as_page_user("writer")
    url = f"/plugins/{plugin.pk}/files/new/"
    suggested = client.post(url, {"filename": "tasks.py", "contents": CODE, "action": "analyze"})
    form = posted_form(suggested.content.decode())
    form["task-0-out-0-name"] = "greeting"  # edited before saving
    form["contents"] = CODE.replace("\n", "\r\n")
    saved = client.post(url, {**form, "action": "save"})
    assert wrote(saved)
    plugin_file = the_file(plugin)
    assert saved.url == f"/plugins/{plugin.pk}/files/{plugin_file.pk}/"
    assert plugin_file.contents == CODE
    ndarray = PluginParameterType.objects.get(group=lab, name="np_ndarray", deleted_on__isnull=True)
    assert ndarray.description == "np.ndarray"
    functions = plugin_file.tasks["functions"]
    assert [t["name"] for t in functions] == ["greet", "shape"]
    assert functions[0]["outputParams"] == [
        {"name": "greeting", "parameterType": builtin(lab, "string").pk}
    ]
    assert functions[0]["inputParams"][1]["required"] is False
    assert functions[1]["inputParams"][0]["parameterType"] == ndarray.pk
    assert flashes(saved)[0].startswith(
        f"Saved tasks.py (plugin snapshot {latest_snapshot(plugin)})"
    )
    page = text(client.get(f"/plugins/{plugin.pk}/"))
    assert "greet name*: string times: integer greeting: string" in page


def test_a_refused_save_puts_the_messages_on_the_rows_and_writes_nothing(lab, as_page_user):
    plugin = make_plugin(lab, "vision")
    client = as_page_user("writer")
    url = f"/plugins/{plugin.pk}/files/new/"
    form = posted_form(
        client.post(
            url, {"filename": "tasks.py", "contents": CODE, "action": "analyze"}
        ).content.decode()
    )
    form["task-0-name"] = "not valid"
    response = client.post(url, {**form, "action": "save"})
    assert response.status_code == 400
    assert "Task names must be a Python identifier" in text(response)
    assert 'value="not valid"' in response.content.decode()
    assert not PluginFile.objects.filter(plugin=plugin).exists()
    assert not PluginParameterType.objects.filter(name="np_ndarray").exists()  # rolled back


def test_a_bad_file_name_or_a_taken_one_is_refused(lab, hello, as_page_user):
    client = as_page_user("writer")
    url = f"/plugins/{hello.pk}/files/new/"
    bad = client.post(url, {"filename": "1.py", "contents": ""})
    assert bad.status_code == 400 and "File names must be module paths" in text(bad)
    taken = client.post(url, {"filename": "tasks.py", "contents": ""})
    assert taken.status_code == 409 and "already has a file named 'tasks.py'" in text(taken)


def test_rows_are_added_by_the_server(hello, as_page_user):
    client = as_page_user("writer")
    url = f"/plugins/{hello.pk}/files/{the_file(hello).pk}/"
    form = posted_form(client.get(url).content.decode())
    more = client.post(url, {**form, "action": "add-input-0"}, **HTMX).content.decode()
    assert 'name="task-0-in-2-name"' in more
    task = client.post(url, {**form, "action": "add-task"}, **HTMX).content.decode()
    assert 'name="task-1-name" value=""' in task


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_saving_a_file(actor, hello, as_page_user):
    plugin_file = the_file(hello)
    url = f"/plugins/{hello.pk}/files/{plugin_file.pk}/"
    form = posted_form(as_page_user("writer").get(url).content.decode())
    form["contents"] = "def hello_world(greeting, name):\n    return greeting\n"
    response = as_page_user(actor).post(url, form)
    assert response.status_code == WRITE[actor]
    plugin_file.refresh_from_db()
    assert (plugin_file.contents == form["contents"]) == wrote(response)
    if wrote(response):
        assert plugin_file.tasks["functions"][0]["name"] == "hello_world"  # unchanged rows


def test_saving_a_file_tells_about_outdated_entrypoints(lab, hello, as_page_user):
    make_entrypoint(lab, "user", plugins=[hello])
    url = f"/plugins/{hello.pk}/files/{the_file(hello).pk}/"
    client = as_page_user("writer")
    form = posted_form(client.get(url).content.decode())
    response = client.post(url, {**form, "contents": "# new\n"})
    assert "1 entrypoint pins an older snapshot" in flashes(response)[0]
    assert "outdated" in text(client.get("/entrypoints/"))


def test_a_stale_file_save_shows_the_difference_and_keeps_the_text(hello, as_page_user):
    plugin_file = the_file(hello)
    url = f"/plugins/{hello.pk}/files/{plugin_file.pk}/"
    client = as_page_user("writer")
    form = posted_form(client.get(url).content.decode())
    plugin_file_update(
        user=None,
        plugin_file=plugin_file,
        filename="tasks.py",
        contents="# theirs\n",
        tasks=plugin_file.tasks,
    )
    stale = client.post(url, {**form, "contents": "# mine\n"})
    assert stale.status_code == 409
    assert "someone saved this file after you opened it" in text(stale)
    assert "# theirs" in text(stale) and "# mine" in stale.content.decode()
    again = client.post(url, {**posted_form(stale.content.decode())})
    assert wrote(again) and the_file(hello).contents == "# mine\n"


@pytest.mark.parametrize("action", ["save", "analyze"])
def test_huge_code_is_refused_clearly(hello, as_page_user, action):
    url = f"/plugins/{hello.pk}/files/new/"
    response = as_page_user("writer").post(
        url, {"filename": "big.py", "contents": "#" * 1_000_001, "action": action}
    )
    assert response.status_code == (413 if action == "save" else 200)
    assert "limited to 1000000 characters" in text(response)
    assert not PluginFile.objects.filter(filename="big.py").exists()


@pytest.mark.parametrize("actor", MATRIX_ACTORS)
def test_deleting_a_file(actor, hello, as_page_user):
    plugin_file = the_file(hello)
    response = as_page_user(actor).post(f"/plugins/{hello.pk}/files/{plugin_file.pk}/delete")
    assert response.status_code == WRITE[actor]
    assert PluginFile.objects.alive().filter(pk=plugin_file.pk).exists() == (not wrote(response))
