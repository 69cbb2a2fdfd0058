"""Domain errors raised by services; the API, forms and admin each turn them into responses.

Validation problems use Django's ``ValidationError`` with a dict keyed by the API field name.
"""

# Ids a request names that the resource cannot take; ``kind`` names the model ("Object" where
# the ids are of several models).
NOT_VISIBLE = "{kind} with id={pk} does not exist or is not visible to you."
WRONG_GROUP = "{kind} with id={pk} belongs to another group than this resource."


class Conflict(Exception):
    """A name already used in the group (409)."""


class StaleWrite(Exception):
    """``If-Match`` named a snapshot that is no longer the latest (412)."""


class TooLarge(Exception):
    """A text over its size cap (413). ``field`` names the offending input field, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
