"""The model: immutable value objects for RFC 4918 §13-14 and RFC 6578.

::

    multistatus = response*, responsedescription?, sync-token?, job?  (+ extensions)
    response    = href, ((href*, status) | propstat+), error?, responsedescription?, location?
    propstat    = prop, status, error?, responsedescription?

Every class validates in its constructor, so an invalid value never exists.
No XML library, no framework and no I/O is used here.
"""

from ._document import MultiStatus, Summary, Tally
from ._element import Element
from ._error import Error
from ._frozen import FrozenMap
from ._job import JOB_STATES, JobStatus
from ._property import Property, PropStat
from ._response import Response
from ._status import Status

__all__ = [
    "JOB_STATES",
    "Element",
    "Error",
    "FrozenMap",
    "JobStatus",
    "MultiStatus",
    "PropStat",
    "Property",
    "Response",
    "Status",
    "Summary",
    "Tally",
]
