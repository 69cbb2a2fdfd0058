"""Field names of the contract's response bodies, shared by the API tests and tests/compat.

No Django here: ``tests/compat/client_flow.py`` imports this module in a bare Python beside
Dioptra's client.
"""

# The envelope of every versioned resource (``core.api.serializers.ResourceSerializer``), in the
# order the API sends it; each resource's own fields follow.
RESOURCE_FIELDS = (
    "id",
    "snapshot",
    "group",
    "user",
    "createdOn",
    "snapshotCreatedOn",
    "lastModifiedOn",
    "latestSnapshot",
    "hasDraft",
    "tags",
)
