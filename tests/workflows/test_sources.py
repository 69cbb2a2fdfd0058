"""Reading import sources safely: archives, uploaded files, folders and git repositories."""

import hashlib
import io
import tarfile

import pytest

from tests.workflows.archives import (
    example_files,
    git_commit,
    git_link,
    git_repo,
    git_tag,
    member,
    tar_gz,
)
from workflows import sources
from workflows.sources import SourceError, from_archive, from_files, from_folder, from_git


def test_an_archive_is_read_into_memory_with_its_hash():
    files = example_files()
    data = tar_gz(files)
    source = from_archive(io.BytesIO(data))
    assert source.files == files
    assert source.digest == hashlib.sha256(data).hexdigest()
    assert source.is_folder("plugins/greetings/util") and source.is_folder("")
    assert not source.is_folder("plugins/greet")


def test_an_archive_of_one_folder_is_seen_from_inside_it():
    source = from_archive(io.BytesIO(tar_gz(example_files(), prefix="repo-main/")))
    assert "dioptra.toml" not in source.files
    assert source.without_wrapper().files == example_files()


@pytest.mark.parametrize(
    "name",
    ["../evil.py", "/etc/evil.py", "a/../../evil.py", "a\\..\\evil.py", "c:evil.py", "x\x1b[2J.py"],
)
def test_member_paths_outside_the_folder_refuse_the_archive(name):
    with pytest.raises(SourceError, match="not a safe relative path"):
        from_archive(io.BytesIO(tar_gz({"dioptra.toml": b"", name: b"boom"})))


@pytest.mark.parametrize(
    "kind", [tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.CHRTYPE, tarfile.FIFOTYPE, tarfile.BLKTYPE]
)
def test_links_and_special_files_refuse_the_archive(kind):
    link = member("plugins/evil.py", kind, linkname="/etc/passwd")
    with pytest.raises(SourceError, match="links are not imported"):
        from_archive(io.BytesIO(tar_gz({"dioptra.toml": b""}, members=[(link, None)])))


def test_a_name_twice_refuses_the_archive():
    twice = member("dioptra.toml", size=1)
    with pytest.raises(SourceError, match="twice"):
        from_archive(io.BytesIO(tar_gz({"dioptra.toml": b"x"}, members=[(twice, b"y")])))


def test_a_compression_bomb_stops_at_the_read_cap(settings):
    settings.RESOURCE_IMPORT_LIMITS = {**settings.RESOURCE_IMPORT_LIMITS, "max_read_bytes": 10**6}
    bomb = tar_gz({"dioptra.toml": b"", "zeros.bin": bytes(20 * 10**6)})
    assert len(bomb) < 100_000
    with pytest.raises(SourceError, match="more than 1000000 bytes"):
        from_archive(io.BytesIO(bomb))


def test_too_many_entries_refuse_the_source(settings):
    settings.RESOURCE_IMPORT_LIMITS = {**settings.RESOURCE_IMPORT_LIMITS, "max_entries": 5}
    with pytest.raises(SourceError, match="more than 5 entries"):
        from_archive(io.BytesIO(tar_gz({f"f{n}.py": b"" for n in range(6)})))


def test_large_files_are_listed_not_kept(settings):
    settings.RESOURCE_IMPORT_LIMITS = {
        **settings.RESOURCE_IMPORT_LIMITS,
        "max_file_bytes": 100,
        "max_kept_bytes": 150,
    }
    source = from_archive(
        io.BytesIO(tar_gz({"a.py": b"a" * 80, "b.py": b"b" * 80, "c.bin": b"c" * 101}))
    )
    assert list(source.files) == ["a.py"]
    assert source.skipped == {
        "b.py": "past the 150 bytes an import may keep",
        "c.bin": "larger than 100 bytes",
    }


@pytest.mark.parametrize("data", [b"not an archive", b""])
def test_what_is_not_a_tar_archive_is_refused(data):
    with pytest.raises(SourceError):
        from_archive(io.BytesIO(data))


def test_uploaded_files_keep_their_paths_and_hash_in_path_order():
    files = example_files()
    source = from_files((name, io.BytesIO(data)) for name, data in reversed(files.items()))
    assert source.files == files
    assert (
        source.digest == hashlib.sha256(b"".join(files[name] for name in sorted(files))).hexdigest()
    )
    with pytest.raises(SourceError, match="safe relative path"):
        from_files([("../x.py", io.BytesIO(b""))])
    with pytest.raises(SourceError, match="Two uploaded files"):
        from_files([("a.py", io.BytesIO(b"")), ("./a.py", io.BytesIO(b""))])


def test_a_folder_lists_its_links_without_following_them(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "ok.py").write_text("x = 1\n")
    (tmp_path / "plugins" / "secret.py").symlink_to("/etc/passwd")
    (tmp_path / "outside").symlink_to("/etc", target_is_directory=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("")
    source = from_folder(tmp_path)
    assert list(source.files) == ["plugins/ok.py"]
    assert source.skipped == {
        "outside": sources.SKIPPED_LINK,
        "plugins/secret.py": sources.SKIPPED_LINK,
    }


def test_a_git_repository_at_head_a_branch_a_tag_and_a_commit(tmp_path):
    repo = tmp_path / "repo"
    first = git_repo(repo, {"dioptra.toml": b"# one\n", "a.py": b"A = 1\n"})
    git_tag(repo, "v1")
    second = git_commit(repo, {"dioptra.toml": b"# two\n"}, branch="next")
    git_link(repo, "plugins_link", "/etc")

    head = from_git(str(repo))  # HEAD: the checked-out branch "next"
    assert head.files["dioptra.toml"] == b"# two\n" and head.skipped["plugins_link"]
    assert from_git(f"file://{repo}#main").digest == first
    assert from_git(f"{repo}#v1").files["dioptra.toml"] == b"# one\n"
    assert from_git(f"{repo}#{second[:10]}").digest == second
    with pytest.raises(SourceError, match="no such branch, tag or commit"):
        from_git(f"{repo}#nope")


@pytest.mark.parametrize(
    "url",
    [
        "ext::sh -c touch% /tmp/pwned",
        "-uhttps://x",
        "--upload-pack=touch /tmp/x",
        "ssh://h/r",
        "user@host:repo",
    ],
)
def test_git_urls_that_could_run_commands_are_refused(url):
    with pytest.raises(SourceError, match="not accepted"):
        from_git(url)


def test_local_repositories_can_be_turned_off(tmp_path, settings):
    git_repo(tmp_path / "repo", {"dioptra.toml": b""})
    settings.RESOURCE_IMPORT_GIT_LOCAL = False
    for url in (str(tmp_path / "repo"), f"file://{tmp_path}/repo"):
        with pytest.raises(SourceError, match="RESOURCE_IMPORT_GIT_LOCAL"):
            from_git(url)
