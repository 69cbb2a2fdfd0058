"""The permission matrix: who gets which status on which kind of endpoint.

Resources under test live in the group ``lab``. ``outsider`` belongs only to ``public`` (every
user does) and to ``elsewhere``; ``reader``/``writer``/``manager`` have that role in ``lab``.
"""

ACTORS = ("anonymous", "outsider", "reader", "writer", "manager", "superuser")

READ = {
    "anonymous": 401,
    "outsider": 404,
    "reader": 200,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}
WRITE = {
    "anonymous": 401,
    "outsider": 404,
    "reader": 403,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}
# Creating in a group the caller cannot see names an invisible id in the body: 400.
CREATE = {
    "anonymous": 401,
    "outsider": 400,
    "reader": 403,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}
# Lists never fail for members; they just omit what the caller cannot see.
LIST = {
    "anonymous": 401,
    "outsider": 200,
    "reader": 200,
    "writer": 200,
    "manager": 200,
    "superuser": 200,
}
MANAGE = {
    "anonymous": 401,
    "outsider": 404,
    "reader": 403,
    "writer": 403,
    "manager": 200,
    "superuser": 200,
}
