# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command

from odoo.addons.mail.tests.common import MailCommon

from .complaint_common import ComplaintCase

# A mail with an HTML body and a text attachment, as a mail client sends it.
MAIL_WITH_ATTACHMENT = """Return-Path: {return_path}
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Aug 2012 16:16:39 +0200 (CEST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_4200734_24778174.1344608186754"
Date: Fri, 10 Aug 2012 14:16:26 +0000
Message-ID: {msg_id}
{extra}
------=_Part_4200734_24778174.1344608186754
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<p>The packing machine stopped after two days.</p><p>Nobody called back!</p>
------=_Part_4200734_24778174.1344608186754
Content-Type: text/plain; charset=utf-8; name="photo-notes.txt"
Content-Disposition: attachment; filename="photo-notes.txt"
Content-Transfer-Encoding: base64

TW90b3IgbGFiZWwgcmVhZHMgUE0tMzAwLg==
------=_Part_4200734_24778174.1344608186754--
"""

MAIL_REPLY = """Return-Path: {return_path}
To: {to}
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Date: Fri, 10 Aug 2012 15:16:26 +0000
Message-ID: {msg_id}
{extra}

Any news? We are still waiting.
"""


class TestComplaintMailIntake(MailCommon, ComplaintCase):
    """Mails to a team's alias become complaints at Listen; replies thread in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["customer.complaint.team"].create(
            {
                "name": "Mail Desk",
                "alias_name": "complaints",
                "member_ids": [Command.set(cls.user_all.ids)],
            }
        )
        cls.alias_email = f"complaints@{cls.alias_domain}"

    def _receive(self, email_from, subject, template=MAIL_WITH_ATTACHMENT, **kw):
        return self.format_and_process(
            template,
            email_from,
            self.alias_email,
            subject=subject,
            target_model="customer.complaint",
            **kw,
        )

    def test_known_sender(self):
        with self.mock_mail_gateway():
            complaint = self._receive(
                '"Wang Fang" <wang.fang@own-customer.example.com>',
                "Machine stopped after two days",
            )
        self.assertEqual(len(complaint), 1)
        self.assertRecordValues(
            complaint,
            [
                {
                    "name": "Machine stopped after two days",
                    "partner_id": self.customer_own.id,
                    "contact_id": self.contact_own.id,
                    "channel": "email",
                    "step": "listen",
                    "team_id": self.team.id,
                    "user_id": self.user_all.id,
                    "company_id": self.env.company.id,
                }
            ],
        )
        self.assertIn(
            "The packing machine stopped after two days.", complaint.customer_words
        )
        self.assertIn("Nobody called back!", complaint.customer_words)
        self.assertNotIn("<p>", complaint.customer_words)
        self.assertRegex(complaint.number, r"^CMP/")
        message = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.author_id, self.contact_own)
        self.assertEqual(message.attachment_ids.mapped("name"), ["photo-notes.txt"])
        self.assertIn(self.contact_own, complaint.message_partner_ids)
        # the bot of the gateway neither handles nor follows it
        self.assertNotIn(
            self.env.ref("base.partner_root"), complaint.message_partner_ids
        )

    def test_unknown_sender_becomes_a_contact(self):
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("email", "=", "li.na@newshop.example.com")]))
        with self.mock_mail_gateway():
            complaint = self._receive(
                "Li Na <li.na@newshop.example.com>", "Wrong goods delivered"
            )
        partner = Partner.search([("email", "=", "li.na@newshop.example.com")])
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.name, "Li Na")
        self.assertEqual(complaint.partner_id, partner)
        self.assertEqual(complaint.step, "listen")
        message = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(message.author_id, partner)

    def test_reply_threads_into_the_complaint(self):
        with self.mock_mail_gateway():
            complaint = self._receive(
                '"Wang Fang" <wang.fang@own-customer.example.com>',
                "Hotline never answers",
                msg_id="<first-mail-1@own-customer.example.com>",
            )
            count = self.env["customer.complaint"].search_count([])
            self.format_and_process(
                MAIL_REPLY,
                '"Wang Fang" <wang.fang@own-customer.example.com>',
                self.alias_email,
                subject="Re: Hotline never answers",
                extra="In-Reply-To: <first-mail-1@own-customer.example.com>",
                target_model="customer.complaint",
            )
        self.assertEqual(self.env["customer.complaint"].search_count([]), count)
        bodies = complaint.message_ids.mapped("body")
        self.assertTrue(any("still waiting" in (body or "") for body in bodies))
        self.assertEqual(complaint.name, "Hotline never answers")

    def test_default_team_alias_and_intake_scale(self):
        """A mail creates one complaint and looks at no other complaint."""
        with self.mock_mail_gateway():
            self._receive("Zhao Lei <zhao.lei@example.com>", "First")
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        with self.mock_mail_gateway():
            self._receive("Zhao Lei <zhao.lei@example.com>", "Second")
        self.env.flush_all()
        first_cost = self.env.cr.sql_log_count - queries
        self._create_complaint()  # more complaints change nothing
        self.env["customer.complaint"].create(
            [
                {"name": f"Old {i}", "partner_id": self.customer_free.id}
                for i in range(30)
            ]
        )
        self.env.flush_all()
        queries = self.env.cr.sql_log_count
        with self.mock_mail_gateway():
            self._receive("Zhao Lei <zhao.lei@example.com>", "Third")
        self.env.flush_all()
        self.assertLessEqual(self.env.cr.sql_log_count - queries, first_cost + 2)
