"""The import page (``/import/``): each source type and conflict rule through the form, the
report and its links, every refusal in words with nothing imported, and who may import where.

A folder upload names each file by its path in the folder (the browser sends
``webkitRelativePath``); Django's test client keeps only the last part of a file name, so those
bodies are encoded here by hand.
"""

import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from access.models import Membership
from entrypoints.models import Entrypoint
from plugins_app.models import Plugin, PluginFile, PluginParameterType
from tests.factories import make_user
from tests.pages import HTMX, text
from tests.workflows.archives import example_files, git_commit, git_repo, member, tar_gz

URL = "/import/"
CREATED = {
    "points": "Parameter type",
    "model": "Parameter type",
    "greetings": "Plugin",
    "regression": "Plugin",
    "text_artifacts": "Plugin",
    "Hello World": "Entrypoint",
    "train_and_score": "Entrypoint",
}
BOUNDARY = "----import-page-test"


def archive_form(group, data=None, **fields):
    data = tar_gz(example_files()) if data is None else data
    upload = SimpleUploadedFile("resources.tar.gz", data)
    return {"group": group.pk, "sourceType": "upload_archive", "archiveFile": upload, **fields}


def multipart(fields: dict, files: list[tuple[str, bytes]]) -> bytes:
    """A browser's form body: ``files`` named by their paths, under the field ``files``."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for path, data in files:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{path}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_files(client, group, files, **fields):
    body = multipart({"group": group.pk, "sourceType": "upload_files", **fields}, files)
    return client.post(URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY}", **HTMX)


def imported(group) -> set[str]:
    return {
        *Entrypoint.objects.alive().filter(group=group).values_list("name", flat=True),
        *Plugin.objects.alive().filter(group=group).values_list("name", flat=True),
        *PluginParameterType.objects.alive()
        .filter(group=group, is_builtin=False)
        .values_list("name", flat=True),
    }


@pytest.fixture
def writer(as_page_user):
    return as_page_user("writer")


# The form -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_form_offers_the_groups_where_the_user_may_write(as_page_user, lab):
    page = as_page_user("writer").get(URL, {"group": lab.pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert f'<option value="{lab.pk}" selected>lab</option>' in body
    assert ">public</option>" in body
    assert 'name="files" webkitdirectory' in body and 'hx-encoding="multipart/form-data"' in body
    words = text(page)
    for rule in ("Stop", "Update", "Overwrite"):
        assert rule in words
    assert "import nothing" in words and "ids, history and jobs stay" in words
    assert "Up to 50.0 MB." in words

    reader = as_page_user("reader").get(URL).content.decode()
    assert ">public</option>" in reader and ">lab</option>" not in reader


@pytest.mark.django_db
def test_someone_who_writes_nowhere_is_told_why(lab):
    only_reads = make_user("looker", lab="read")
    Membership.objects.filter(user=only_reads).exclude(group=lab).delete()
    client = Client()
    client.force_login(only_reads)
    for response in (client.get(URL), client.post(URL, archive_form(lab))):
        assert response.status_code == 403
        assert "you have the read role in every group" in text(response)
    assert not imported(lab)


@pytest.mark.django_db
def test_visitors_sign_in_first(client, lab):
    assert client.get(URL).url.startswith("/accounts/login/")
    assert client.post(URL, archive_form(lab)).url.startswith("/accounts/login/")
    assert not imported(lab)


@pytest.mark.django_db
def test_the_entrypoints_list_links_to_it(writer, lab):
    page = writer.get("/entrypoints/", {"group": lab.pk}).content.decode()
    assert f'href="/import/?group={lab.pk}"' in page and "Import from Dioptra" in page


# Each source type ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_archive_answers_the_report_with_a_link_to_each_resource(writer, lab):
    response = writer.post(URL, archive_form(lab), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="import-result"')  # the fragment only
    words = text(response)
    assert "Imported into group 'lab': 7 created." in words
    for name, kind in CREATED.items():
        assert f"{kind} {name} created" in words
    assert imported(lab) == set(CREATED)
    for entrypoint in Entrypoint.objects.filter(group=lab):
        assert f'href="/entrypoints/{entrypoint.pk}/"' in body
    for plugin in Plugin.objects.filter(group=lab):
        assert f'href="/plugins/{plugin.pk}/"' in body
    for param_type in PluginParameterType.objects.filter(group=lab, is_builtin=False):
        assert f'href="/types/{param_type.pk}/"' in body


@pytest.mark.django_db
def test_a_folder_keeps_the_paths_of_its_files(writer, lab):
    """A folder chosen with ``webkitdirectory``: every file named under the folder's own name."""
    files = [(f"dioptra-resources/{path}", data) for path, data in example_files().items()]
    response = post_files(writer, lab, files)
    assert response.status_code == 200, text(response)
    assert "7 created" in text(response)
    greetings = Plugin.objects.get(group=lab, name="greetings")
    assert set(PluginFile.objects.filter(plugin=greetings).values_list("filename", flat=True)) == {
        "tasks.py",
        "util/case.py",
    }


@pytest.mark.django_db
def test_a_folder_with_an_empty_file_imports_it(writer, lab):
    """An empty ``__init__.py`` is a file like any other (it was refused as "Choose a folder")."""
    files = {**example_files(), "plugins/greetings/__init__.py": b""}
    response = post_files(writer, lab, [(f"dioptra-resources/{p}", d) for p, d in files.items()])
    assert response.status_code == 200, text(response)
    greetings = Plugin.objects.get(group=lab, name="greetings")
    assert PluginFile.objects.get(plugin=greetings, filename="__init__.py").contents == ""


@pytest.mark.django_db
def test_files_picked_one_by_one(writer, lab):
    toml = b'[[plugin_param_types]]\nname = "points"\nstructure = { list = "number" }\n'
    response = post_files(writer, lab, [("dioptra.toml", toml)])
    assert response.status_code == 200, text(response)
    assert "Parameter type points created" in text(response)


@pytest.mark.django_db
def test_files_without_their_folders_are_told_what_is_missing(writer, lab):
    """Picked one by one, the example's files lose their folders: the plugins are not found."""
    files = [(path.rsplit("/", 1)[-1], data) for path, data in example_files().items()]
    response = post_files(writer, lab, files)
    assert response.status_code == 400
    words = text(response)
    assert "Nothing was imported: group 'lab' is unchanged." in words
    assert "IMPORT_NOT_FOUND" in words and "dioptra.toml 10 problems" in words
    assert not imported(lab)


@pytest.mark.django_db
def test_a_git_repository_at_a_branch(writer, lab, tmp_path):
    repo = tmp_path / "repo"
    git_repo(repo, example_files(), branch="trunk")
    commit = git_commit(repo, {"dioptra.toml": b""}, branch="empty")
    form = {"group": lab.pk, "sourceType": "git", "gitUrl": f"file://{repo}#trunk"}
    response = writer.post(URL, form, **HTMX)
    assert response.status_code == 200, text(response)
    assert "7 created" in text(response)
    assert commit[:12] not in text(response)  # the branch asked for, not the newest commit

    missing = writer.post(URL, {**form, "gitUrl": f"{tmp_path}/nowhere"}, **HTMX)
    assert missing.status_code == 400
    assert "git could not clone" in text(missing)


# Each conflict rule -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_conflict_rule(writer, lab):
    assert writer.post(URL, archive_form(lab), **HTMX).status_code == 200
    ids = dict(Entrypoint.objects.filter(group=lab).values_list("name", "pk"))

    stopped = writer.post(URL, archive_form(lab, resolveNameConflictsStrategy="fail"), **HTMX)
    assert stopped.status_code == 409
    words = text(stopped)
    assert "Nothing was imported: group 'lab' is unchanged. 7 problems stopped the import." in words
    assert 'Choose "Update" or "Overwrite"' in words
    assert "IMPORT_NAME_TAKEN Entrypoint 'Hello World' already exists in group 'lab'" in words
    assert "dioptra.toml 7 problems" in words and 'name = "Hello World"' in words  # the line, shown

    same = writer.post(URL, archive_form(lab, resolveNameConflictsStrategy="update"), **HTMX)
    assert "Group 'lab' already holds all of it: 7 skipped (unchanged)." in text(same)

    files = example_files()
    files["entrypoints/hello-world.yaml"] = files["entrypoints/hello-world.yaml"].replace(
        b"shout: [$greet]", b"shout: [$greet]  # louder"
    )
    changed = archive_form(lab, tar_gz(files), resolveNameConflictsStrategy="update")
    words = text(writer.post(URL, changed, **HTMX))
    assert "1 updated, 6 skipped (unchanged)" in words
    assert "Entrypoint Hello World updated" in words
    assert dict(Entrypoint.objects.alive().filter(group=lab).values_list("name", "pk")) == ids

    replaced = writer.post(URL, archive_form(lab, resolveNameConflictsStrategy="overwrite"), **HTMX)
    assert "7 replaced." in text(replaced) and "replaced: new id" in text(replaced)
    new_ids = dict(Entrypoint.objects.alive().filter(group=lab).values_list("name", "pk"))
    assert set(new_ids) == set(ids) and not set(new_ids.values()) & set(ids.values())


# What is wrong, and nothing imported --------------------------------------------------------------


@pytest.mark.django_db
def test_a_broken_entrypoint_shows_its_issue_at_its_line_and_imports_nothing(writer, lab):
    files = example_files()
    files["entrypoints/hello-world.yaml"] = files["entrypoints/hello-world.yaml"].replace(
        b"$name", b"$nme"
    )
    response = writer.post(URL, archive_form(lab, tar_gz(files)), **HTMX)
    assert response.status_code == 400
    words = text(response)
    assert "Nothing was imported: group 'lab' is unchanged. 1 problem stopped the import." in words
    assert "entrypoints/hello-world.yaml 1 problem" in words
    assert "E_REF_UNRESOLVABLE" in words and "did you mean `$name`?" in words
    assert "line 6, column 13" in words
    body = response.content.decode()
    assert 'title="entrypoints/hello-world.yaml:6:13"' in body
    assert '<span class="ln">6</span>      name: $nme' in body
    assert '<span class="caret">            ^^^^</span>' in body  # columns 13 to 17
    assert not imported(lab)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "archive, message",
    [
        (tar_gz({"../../etc/cron.d/evil": b"boom"}), "is not a safe relative path"),
        (
            tar_gz({}, members=[(member("p/t.py", tarfile.SYMTYPE, linkname="/etc/passwd"), None)]),
            "holds a link or special file",
        ),
        (b"\x1f\x8b not really gzip", "is not a .tar.gz archive"),
        (b"just some text", "is not a .tar.gz archive"),
    ],
    ids=["path traversal", "link", "broken gzip", "not an archive"],
)
def test_a_malicious_or_wrong_archive_is_refused_in_words(writer, lab, archive, message):
    response = writer.post(URL, archive_form(lab, archive), **HTMX)
    assert response.status_code == 400
    words = text(response)
    assert "Nothing was imported: group 'lab' is unchanged." in words and message in words
    assert not imported(lab)


@pytest.mark.django_db
def test_a_configuration_nested_too_deeply_is_refused_in_words(writer, lab):
    files = example_files()
    files["dioptra.toml"] += b"\ndeep = " + b"[" * 5_000 + b"]" * 5_000 + b"\n"
    response = writer.post(URL, archive_form(lab, tar_gz(files)), **HTMX)
    assert response.status_code == 400
    assert "The file is not valid TOML: its tables or arrays nest too deeply" in text(response)
    assert not imported(lab)


@pytest.mark.django_db
def test_a_bomb_stops_at_the_cap(writer, lab, settings):
    settings.RESOURCE_IMPORT_LIMITS = {**settings.RESOURCE_IMPORT_LIMITS, "max_read_bytes": 10**6}
    bomb = tar_gz({**example_files(), "data/zeros.bin": bytes(50 * 10**6)})
    response = writer.post(URL, archive_form(lab, bomb), **HTMX)
    assert response.status_code == 400
    assert "more than 1000000 bytes" in text(response)
    assert not imported(lab)


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(writer, lab, settings):
    settings.MAX_REQUEST_BYTES, settings.MAX_UPLOAD_BYTES = 1_000, 10_000
    huge = archive_form(lab, bytes(20_000))
    fragment = writer.post(URL, huge, **HTMX)
    assert fragment.status_code == 413
    assert fragment.content.decode().startswith('<div class="flash bad"')
    too_large = "Not sent: the upload is too large. It is 19.8 KB; the most a page accepts is 9.8"
    assert too_large in text(fragment)
    page = writer.post(URL, archive_form(lab, bytes(20_000)))
    assert page.status_code == 413 and "<h1>Too large</h1>" in page.content.decode()
    assert not imported(lab)


@pytest.mark.django_db
def test_imports_take_bodies_larger_than_other_pages(writer, lab, settings):
    settings.MAX_REQUEST_BYTES, settings.MAX_UPLOAD_BYTES = 10_000, 100_000
    response = writer.post(URL, archive_form(lab, bytes(20_000)), **HTMX)
    assert response.status_code == 400  # read, and found not to be an archive
    assert "the most a page accepts" not in text(response)
    assert writer.post("/entrypoints/new/", {"x": "y" * 20_000}).status_code == 413


@pytest.mark.django_db
def test_too_many_files_ask_for_an_archive(writer, lab, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [(f"r/f{n}.py", b"") for n in range(3)]
    response = post_files(writer, lab, files)
    assert response.status_code == 400
    assert "Upload the folder as one .tar.gz archive instead." in text(response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "form, message",
    [
        ({"sourceType": "upload_archive"}, "Choose a .tar.gz archive to upload."),
        ({"sourceType": "upload_files"}, "Choose a folder or the files to upload."),
        ({"sourceType": "git", "gitUrl": ""}, "Give the URL of a git repository."),
        ({"sourceType": "git", "gitUrl": "--upload-pack=x"}, "not a repository URL"),
        ({"sourceType": "git", "gitUrl": "x" * 3000}, "Git URL: Ensure this field has no more"),
        ({"sourceType": "git", "gitUrl": "https://a\x00"}, "Git URL: Null characters are not"),
        (
            {"sourceType": "upload_archive", "archiveFile": SimpleUploadedFile("a.tar.gz", b"")},
            "Archive: The submitted file is empty.",
        ),
        (
            {"sourceType": "upload_files", "files": ["not", "files"]},
            "Nothing was imported. Files: The submitted data was not a file. Check the encoding "
            "type on the form.",
        ),
        ({}, "Source: This field is required."),
        ({"sourceType": "ftp"}, 'Source: "ftp" is not a valid choice.'),
        (
            {"sourceType": "git", "gitUrl": "x", "resolveNameConflictsStrategy": "merge"},
            'If a name is taken: "merge" is not a valid choice.',
        ),
        ({"group": "9999", "sourceType": "git", "gitUrl": "x"}, "Group: Object with id=9999"),
        ({"group": "lab", "sourceType": "git", "gitUrl": "x"}, "Group: Incorrect type."),
        ({"group": "", "sourceType": "git", "gitUrl": "x"}, "Group: Give the group to import"),
    ],
)
def test_bad_forms_are_answered_in_words(writer, lab, form, message):
    response = writer.post(URL, {"group": lab.pk, **form}, **HTMX)
    assert response.status_code == 400
    assert message in text(response)
    assert not imported(lab)


@pytest.mark.django_db
def test_the_chosen_source_is_the_one_used(writer, lab):
    """Without scripts every input shows: what the other inputs still hold does not count."""
    form = archive_form(lab, gitUrl="https://example.org/other.git")
    response = writer.post(URL, form, **HTMX)
    assert response.status_code == 200 and "7 created" in text(response)


# Who may import where -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reader_of_the_group_is_refused(as_page_user, lab):
    response = as_page_user("reader").post(URL, archive_form(lab), **HTMX)
    assert response.status_code == 403
    assert "Your role in group 'lab' is read" in text(response)
    assert not imported(lab)


@pytest.mark.django_db
def test_another_groups_id_is_unknown(as_page_user, lab):
    response = as_page_user("outsider").post(URL, archive_form(lab), **HTMX)
    assert response.status_code == 400
    assert f"Group: Object with id={lab.pk} does not exist or is not visible to you." in text(
        response
    )
    assert not imported(lab)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["manager", "superuser"])
def test_managers_and_superusers_import(as_page_user, lab, actor):
    assert as_page_user(actor).post(URL, archive_form(lab), **HTMX).status_code == 200
    assert imported(lab) == set(CREATED)


# Without scripts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_htmx_the_whole_page_answers_with_the_form_as_sent(writer, lab):
    form = archive_form(lab, configPath="dioptra.toml", resolveNameConflictsStrategy="update")
    response = writer.post(URL, form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Import from Dioptra</h1>" in body and "7 created" in text(response)
    assert 'value="update" checked' in body and 'id="source-upload_archive" checked' in body


@pytest.mark.django_db
def test_the_csrf_check_still_guards_the_form(lab):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("writer", lab="write"))
    refused = client.post(URL, archive_form(lab))
    assert refused.status_code == 403 and not imported(lab)
    token = client.get(URL).context["csrf_token"]
    allowed = client.post(URL, archive_form(lab), HTTP_X_CSRFTOKEN=str(token))
    assert allowed.status_code == 200 and imported(lab) == set(CREATED)
