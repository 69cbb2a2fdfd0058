"""OpenAPI schema tweaks shared by every view."""

import re

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_operation_id(self):
        """``…/tags/{tag_id}`` and ``…/tags`` would both be ``…_tags_destroy``: an item route
        (ending in a parameter other than the resource's own ``{id}``) gets ``_item``."""
        operation_id = super().get_operation_id()
        last = self.path.rstrip("/").rsplit("/", 1)[-1]
        if re.fullmatch(r"\{\w+\}", last) and last not in ("{id}", "{pk}"):
            operation_id += "_item"
        return operation_id
