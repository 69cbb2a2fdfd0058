"""The editor's live-validation round trip, server side: ``POST /entrypoints/<id>/validate`` with
the whole unsaved form (as htmx sends it every ~300 ms while typing), for 5, 20, 50 and 200
chained steps, through Django's test client on a throwaway SQLite database.

Reported as medians in milliseconds, beside the baseline measured in the same run: the engine
alone (``validate_entrypoint`` on the same texts and context), so the ratio is what the page adds
(reading the form, the permission queries, the graph layout, rendering the fragment). "redrawn" is
an answer that lays out and sends the graph; "typing" one where the graph did not change (the
common keystroke), which leaves it out.
Targets: under 30 ms at 50 steps, under 100 ms at 200.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time

from benchmarks.bench_api import _setup_django

SIZES = (5, 20, 50, 200)
REPEAT = 25


def chain(steps: int) -> str:
    lines = ["step0:\n  work:\n    value: $seed\n"]
    lines += [f"step{n}:\n  work:\n    value: $step{n - 1}\n" for n in range(1, steps)]
    return "".join(lines)


def _median_ms(call, repeat: int = REPEAT) -> float:
    call()  # warm caches (templates, YAML, querysets)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        _setup_django(directory)
        from django.contrib.auth import get_user_model
        from django.test import Client

        from access.services import group_create, membership_set
        from entrypoints import editor, engine, services
        from entrypoints.forms import EntrypointForm
        from plugins_app import services as plugin_services
        from plugins_app.models import PluginParameterType

        user = get_user_model().objects.create_user(username="bench", password="bench-password-1")
        group = group_create(name="bench")
        membership_set(group=group, user=user, role="write")
        any_type = PluginParameterType.objects.get(group=group, name="any", deleted_on__isnull=True)
        plugin = plugin_services.plugin_create(user=user, group=group, name="work")
        plugin_services.plugin_file_create(
            user=user,
            plugin=plugin,
            filename="tasks.py",
            contents="def work(value):\n    return value\n",
            tasks={
                "functions": [
                    {
                        "name": "work",
                        "inputParams": [
                            {"name": "value", "parameterType": any_type.pk, "required": True}
                        ],
                        "outputParams": [{"name": "out", "parameterType": any_type.pk}],
                    }
                ]
            },
        )
        client = Client()
        client.force_login(user)
        print(f"{'steps':>6} {'redrawn ms':>11} {'typing ms':>10} {'engine ms':>10} {'ratio':>6}")
        for steps in SIZES:
            entrypoint = services.entrypoint_create(
                user=user,
                group=group,
                name=f"chain{steps}",
                task_graph=chain(steps),
                plugins=[plugin],
                parameters=[{"name": "seed", "parameterType": "string", "defaultValue": "x"}],
            )
            body = {
                "name": entrypoint.name,
                "task_graph": chain(steps) + "# typing\n",
                "artifact_graph": "",
                "plugins": [plugin.pk],
                f"pin-plugins-{plugin.pk}": entrypoint.plugin_snapshot_ids[0],
                "param-0-name": "seed",
                "param-0-type": "string",
                "param-0-default": "x",
            }
            url = f"/entrypoints/{entrypoint.pk}/validate"

            def round_trip(url=url, body=body):
                response = client.post(url, body, HTTP_HX_REQUEST="true")
                assert response.status_code == 200
                return response

            # While typing inside values the graph stays the same: the page sends the key of the
            # graph it shows and the answer leaves the graph out.
            drawn = re.search(r'name="graph_key" value="(\w+)"', round_trip().content.decode())
            typing_body = {**body, "graph_key": drawn.group(1)}

            form = EntrypointForm(body, user=user, group=group, creating=False)
            proposal = editor.proposal_from_form(form)
            context = editor.judge(proposal, user=user).context

            def engine_alone(text=body["task_graph"], context=context):
                engine.verdict(task_graph=text, artifact_graph="", context=context)

            page, alone = _median_ms(round_trip), _median_ms(engine_alone)
            typing = _median_ms(lambda body=typing_body: round_trip(body=body))
            print(f"{steps:>6} {page:>11.1f} {typing:>10.1f} {alone:>10.2f} {page / alone:>6.1f}")


if __name__ == "__main__":
    main()
