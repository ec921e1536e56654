"""Who may call the reporting routes: every role that reads learner data.

Each route then narrows what the caller sees with an
:class:`~cairn.reporting.audience.Audience`: the role check says *whether*
someone may read reports, the audience says *whose* data they get.
"""

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Role

REPORT_READERS = RequireRole(Role.ADMIN, Role.AUDITOR, Role.MANAGER, Role.LEARNER)
