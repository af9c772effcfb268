"""The sans-I/O HTTP layer: negotiation, ``Prefer``, status policies, problems, replies, the HTML view.

Request header values in; status, header fields and body bytes out.  No
sockets and no ``environ``: the WSGI edge (:mod:`multistatus.wsgi`) and any
other server glue call these.
"""

from .._public import publish
from ._batch import read_batch
from ._html import to_html
from ._negotiation import MEDIA_TYPES, default_media_type, negotiate
from ._options import ServeOptions
from ._policy import POLICIES, Policy, StatusPolicy, choose_status, policy_of
from ._prefer import Preferences, apply_prefer, parse_prefer
from ._problem import read_problem
from ._reply import Reply, problem_reply, reply

__all__ = [
    "MEDIA_TYPES",
    "POLICIES",
    "Policy",
    "Preferences",
    "Reply",
    "ServeOptions",
    "StatusPolicy",
    "apply_prefer",
    "choose_status",
    "default_media_type",
    "negotiate",
    "parse_prefer",
    "policy_of",
    "problem_reply",
    "read_batch",
    "read_problem",
    "reply",
    "to_html",
]


publish(globals(), __all__, "multistatus")  # public through the top-level package (imported there on first use)
