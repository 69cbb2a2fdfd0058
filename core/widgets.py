"""Form widgets shared by the pages and the admin."""

from django import forms


class CodeEditorWidget(forms.Textarea):
    """A textarea that ``static/js/editor.js`` upgrades to the CodeMirror editor.

    Renders the DOM contract of ``frontend/README.md``: ``.code-editor[data-source]
    [data-language]`` around a ``textarea[data-codemirror]``. ``source`` names the editor (the
    validation answer's markers go to ``taskGraph`` and ``artifactGraph``); ``language`` is
    ``yaml`` or ``python``; ``min_lines`` is the editor's least height in lines.
    """

    template_name = "widgets/code_editor.html"

    def __init__(
        self, *, source: str, language: str = "yaml", min_lines: int | None = None, attrs=None
    ):
        # Step names and code are not prose: no spell-checking.
        super().__init__(attrs={"spellcheck": "false", "data-codemirror": True, **(attrs or {})})
        self.source, self.language, self.min_lines = source, language, min_lines

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            source=self.source, language=self.language, min_lines=self.min_lines
        )
        return context

    @property
    def media(self):
        return forms.Media(js=[forms.Script("js/editor.js", defer=True)])
