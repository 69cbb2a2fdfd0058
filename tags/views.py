"""The tag pages: the shared pages of small named resources (``core.named_pages``)."""

from core.named_pages import NamedResource
from tags import services
from tags.models import Tag

TAGS = NamedResource(
    namespace="tags",
    model=Tag,
    argument="tag",
    noun="tag",
    plural="Tags",
    intro="Labels that sort entrypoints, plugins, types and queues; each group has its own.",
    empty_hint="Create a tag above, then tick it on an entrypoint's page.",
    delete_warning="It is taken off everything that carries it.",
    create=services.tag_create,
    update=services.tag_update,
    delete=services.tag_delete,
)
