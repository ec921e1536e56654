"""Who may call the reporting routes: every role that reads learner data.

Each route then narrows what the caller sees with an
:class:`~cairn.reporting.audience.Audience`: the role check says *whether*
someone may read reports, the audience says *whose* data they get.
"""

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Principal, Role
from cairn.errors import NotAuthenticated


class RequireReportReader(RequireRole):
    """A person or REST token with a reading role; LRS credentials are not sign-ins here.

    An LRS key (HTTP Basic) opens the xAPI resources only. Presented to the
    reporting API it is answered 401 with the Bearer challenge, as if no
    token had been sent, which is what the client has to fix: send a token.
    """

    def check(self, principal: Principal) -> None:
        if principal.kind == "credential":
            raise NotAuthenticated("the reporting API takes a REST API token "
                                   "(Authorization: Bearer ...); LRS credentials only open /xapi/")
        super().check(principal)


REPORT_READERS = RequireReportReader(Role.ADMIN, Role.AUDITOR, Role.MANAGER, Role.LEARNER)
