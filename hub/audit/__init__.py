"""The audit log: security-relevant events appended to a hash chain in the transaction of their action."""

from hub.audit.chain import record
from hub.audit.events import AuditEvent

__all__ = ["AuditEvent", "record"]
