"""Greetings: the seed's hello world, with a helper module beside it."""

from .util.case import upper


def hello(greeting: str, name: str) -> str:
    return f"{greeting}, {name}!"


def shout(message: str) -> str:
    return upper(message) + "!"
