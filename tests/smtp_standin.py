"""A real SMTP server on loopback that keeps what it is sent: the site's mail, read by the browser tests."""

import email
import email.policy
import threading

from aiosmtpd.controller import Controller

from .live_site import free_port


class SMTPStandIn:
    def __init__(self):
        self.messages, self.refused = [], set()  # addresses it answers "no such mailbox"
        self.arrived = threading.Condition()
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    @property
    def port(self):
        return self.controller.port

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append((envelope.rcpt_tos, message))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, to, subject_has, seconds=60):
        """The first message to ``to`` whose subject holds ``subject_has``, once it arrives."""

        def found():
            return next((m for rcpt, m in self.messages if to in rcpt and subject_has in m["Subject"]), None)

        with self.arrived:
            self.arrived.wait_for(found, timeout=seconds)
            message = found()
        assert message is not None, f"no mail to {to} about {subject_has!r}: {[m['Subject'] for _, m in self.messages]}"
        return message
