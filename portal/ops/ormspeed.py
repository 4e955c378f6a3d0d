"""A faster `Col.identity` for Django's query compiler, the same value as Django's.

Compiling a query hashes every column expression it selects, orders or groups by
(`Col.__hash__` → `identity`). Django computes an expression's identity generically, by
binding its constructor arguments to `inspect.signature(...)`, which for `Col` (a table
alias, a field and an optional output field) costs more than the rest of the column's
compilation: on the portal's pages, a sixth to a fifth of the Python time of a query
with a few joins. `Col` is the one expression made afresh for every column of every
query, so only its identity is given a direct form here; it is the same tuple Django's
generic code builds (tests/ops/test_ormspeed.py compares the two on every column of the
portal's models and on the argument forms `Col` is called with).

`install()` runs from PortalConfig.ready(). It replaces nothing when `Col`'s constructor
or `Expression.identity` is not the one this was written against (Django 5.2), so a
Django upgrade falls back to Django's own code rather than to a wrong identity.
"""

from __future__ import annotations

import inspect

from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

_EXPECTED_PARAMETERS = ["self", "alias", "target", "output_field"]
_django_identity = Expression.__dict__["identity"]


def col_identity(self: Col) -> tuple:
    """Django's `Expression.identity` for a `Col`, without `inspect`: the class, then
    (name, identity of value) for alias, target and output_field in the constructor's
    order, with output_field's default (None) when it was not passed."""
    args, kwargs = self._constructor_args
    values = dict(zip(("alias", "target", "output_field"), args, strict=False))
    values.update(kwargs)
    identify = Expression._identity
    return (
        self.__class__,
        ("alias", identify(values.get("alias"))),
        ("target", identify(values.get("target"))),
        ("output_field", identify(values.get("output_field"))),
    )


def applicable() -> bool:
    """True when Django's code is the one `col_identity` reproduces."""
    parameters = list(inspect.signature(Col.__init__).parameters)
    return (parameters == _EXPECTED_PARAMETERS
            and ("identity" not in Col.__dict__ or getattr(Col, "_xy_fast_identity", False))
            and isinstance(_django_identity, cached_property)
            and inspect.signature(Col.__init__).parameters["output_field"].default is None)


def install() -> bool:
    if getattr(Col, "_xy_fast_identity", False):
        return True
    if not applicable():
        return False
    prop = cached_property(col_identity)
    prop.__set_name__(Col, "identity")
    Col.identity = prop
    Col._xy_fast_identity = True
    return True


def django_identity(expression) -> tuple:
    """Django's own generic identity of `expression` (for the tests)."""
    return _django_identity.func(expression)
