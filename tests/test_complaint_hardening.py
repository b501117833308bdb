# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The complaint rules hold whatever the way in: defaults, RPC, import,
chatter context and the portal."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from ..engine.complaint_steps import solution_change_step
from .complaint_common import STEP_FACTS, ComplaintCase

NOW = datetime(2026, 3, 2, 9, 0, 0)

# Fields the portal pages do not show, with the label the errors name.
INTERNAL_FIELDS = [
    "salesperson_id",
    "customer_type",
    "issue_description",
    "issue_circumstances",
    "dissatisfaction_reason",
    "other_reasons",
    "customer_reasonable",
    "desired_resolution",
    "root_cause",
    "refund_approval_required",
    "refund_approved_by_id",
    "refund_approval_date",
    "rejection_count",
    "followup_feedback",
    "cancel_reason",
    "closed_date",
    "resolution_hours",
    "resolution_days",
    "sla_deadline",
    "sla_breached",
    "sla_success",
    "duration_tracking",
]
# What the portal pages show.
PORTAL_FIELDS = [
    "name",
    "complaint_date",
    "category_id",
    "product_id",
    "sale_order_id",
    "customer_words",
    "stage_id",
    "step",
    "user_id",
    "solution_type",
    "solution_details",
    "refund_amount",
    "verdict",
    "verdict_note",
]
# Stamps only the system writes, with a value a user might try to give them.
SYSTEM_VALUES = {
    "apology_date": "2026-01-05 10:00:00",
    "verdict_date": "2026-01-05 10:00:00",
    "rejection_count": 3,
    "refund_approval_date": "2026-01-05 10:00:00",
    "closed_date": "2026-01-05 10:00:00",
    "sla_deadline": "2030-01-05 10:00:00",
    "sla_breached": True,
    "sla_success": 50.0,
    "resolution_hours": 1.0,
    "resolution_days": 1.0,
}


class HardeningCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = cls.user_portal
        cls.complaint = cls._create_complaint(partner_id=cls.contact_own.id)

    def _label(self, fname):
        return self.env["customer.complaint"]._fields[fname].string

    def _to_verdict(self, complaint, **solution):
        self.advance(complaint, "propose")
        complaint.write(dict(STEP_FACTS["propose"], **solution))
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")
        return complaint


@tagged("post_install", "-at_install")
class TestComplaintDefaults(HardeningCase):
    """Values arriving as defaults pass the gates explicit values pass."""

    def setUp(self):
        super().setUp()
        self.Complaint = self.env["customer.complaint"].with_user(self.user_own)
        self.vals = {"partner_id": self.customer_own.id, "customer_words": "Too slow."}

    def test_context_default_approval_refused(self):
        approvals = {
            "refund_approved_by_id": self.user_own.id,
            "refund_approval_date": fields.Datetime.now(),
        }
        for fname, value in approvals.items():
            with self.subTest(fname=fname):
                Complaint = self.Complaint.with_context(**{f"default_{fname}": value})
                with self.assertRefused(AccessError, "Only a Customer Relationship"):
                    Complaint.create(self.vals)
        # a manager's default approval is his and gets its date from the system
        complaint = (
            self.env["customer.complaint"]
            .with_user(self.user_manager)
            .with_context(default_refund_approved_by_id=self.user_manager.id)
            .create(self.vals)
        )
        self.assertEqual(complaint.refund_approved_by_id, self.user_manager)
        self.assertTrue(complaint.refund_approval_date)

    def test_personal_default_approval_refused(self):
        self.env["ir.default"].set(
            "customer.complaint",
            "refund_approved_by_id",
            self.user_own.id,
            user_id=self.user_own.id,
        )
        with self.assertRefused(AccessError, "Only a Customer Relationship"):
            self.Complaint.create(self.vals)
        # the personal default of one user does not reach another
        other = (
            self.env["customer.complaint"]
            .with_user(self.user_all)
            .create({"partner_id": self.customer_own.id})
        )
        self.assertFalse(other.refund_approved_by_id)

    def test_defaults_of_system_values_refused(self):
        for fname, value in SYSTEM_VALUES.items():
            with self.subTest(fname=fname):
                Complaint = self.Complaint.with_context(**{f"default_{fname}": value})
                with self.assertRaises(UserError) as error:
                    Complaint.create(self.vals)
                if fname not in ("refund_approval_date",):
                    self.assertIn("recorded by the system", str(error.exception))
                    self.assertIn(self._label(fname), str(error.exception))
        self.env["ir.default"].set(
            "customer.complaint", "sla_breached", True, user_id=self.user_own.id
        )
        with self.assertRefused(UserError, "SLA Breached"):
            self.Complaint.create(self.vals)

    def test_default_stage_passes_the_gates(self):
        """A kanban quick create in a later column, a context or a personal
        default stage: the complaint is created past the gates only with the
        facts of every step it skips."""
        propose = self.stages["propose"]
        Complaint = self.Complaint.with_context(default_stage_id=propose.id)
        with self.assertRefused(UserError, "Apology Sent"):
            Complaint.create(self.vals)
        self.env["ir.default"].set(
            "customer.complaint", "stage_id", propose.id, user_id=self.user_own.id
        )
        with self.assertRefused(UserError, "Root Cause"):
            self.Complaint.create(self.vals)
        facts = dict(
            self.vals,
            channel="phone",
            **STEP_FACTS["apologize"],
            **STEP_FACTS["understand"],
        )
        complaint = self.Complaint.create(facts)
        self.assertEqual(complaint.step, "propose")
        self.assertTrue(complaint.apology_date, "a default apology is dated too")

    def test_default_first_stage_still_works(self):
        complaint = self.Complaint.with_context(
            default_stage_id=self.stages["listen"].id
        ).create(self.vals)
        self.assertEqual(complaint.step, "listen")


@tagged("post_install", "-at_install")
class TestComplaintSystemValues(HardeningCase):
    """The SLA evidence and the other stamps are the system's."""

    def test_write_refused(self):
        complaint = self.complaint.with_user(self.user_own)
        for fname, value in SYSTEM_VALUES.items():
            with self.subTest(fname=fname):
                with self.assertRaises(UserError) as error:
                    complaint.write({fname: value})
                if fname != "refund_approval_date":
                    self.assertIn("recorded by the system", str(error.exception))
                    self.assertIn(self._label(fname), str(error.exception))
        # managers neither
        manager_complaint = self.complaint.with_user(self.user_manager)
        with self.assertRefused(UserError, "Closed On"):
            manager_complaint.write({"closed_date": "2026-01-05 10:00:00"})
        with self.assertRefused(UserError, "Refund Approval Date"):
            manager_complaint.write({"refund_approval_date": "2026-01-05 10:00:00"})
        self.assertFalse(self.complaint.closed_date)
        self.assertFalse(self.complaint.sla_breached)
        # values a record already has pass (a re-imported export)
        complaint.write(
            {
                "sla_breached": False,
                "rejection_count": 0,
                "sla_deadline": self.complaint.sla_deadline,
                "channel": "email",
            }
        )
        self.assertEqual(complaint.channel, "email")

    def test_create_and_import_refused(self):
        Complaint = self.env["customer.complaint"].with_user(self.user_own)
        with self.assertRefused(UserError, "SLA Breached"):
            Complaint.create({"partner_id": self.customer_own.id, "sla_breached": True})
        # empty values are no values
        complaint = Complaint.create(
            {
                "partner_id": self.customer_own.id,
                "sla_breached": False,
                "closed_date": False,
            }
        )
        self.assertTrue(complaint)
        result = Complaint.load(
            [".id", "closed_date"], [[str(self.complaint.id), "2026-01-05 10:00:00"]]
        )
        self.assertFalse(result["ids"])
        self.assertIn("Closed On", result["messages"][0]["message"])
        self.assertFalse(self.complaint.closed_date)

    def test_system_still_stamps(self):
        """The bookkeeping and the SLA cron write the stamps for users."""
        with freeze_time(NOW):
            complaint = self._create_complaint(priority="3")
            handled = complaint.with_user(self.user_own)
            self.advance(handled, "follow_up")
            self.assertTrue(complaint.apology_date)
            self.assertTrue(complaint.verdict_date)
        # the SLA cron run by a manager (not the superuser) flags the breach
        with freeze_time(NOW + timedelta(hours=5)):
            self.env["customer.complaint"].with_user(
                self.user_manager
            )._cron_check_sla()
        self.assertTrue(complaint.sla_breached)
        handled.write(dict(STEP_FACTS["follow_up"], followup_date=fields.Date.today()))
        handled.action_next_step()
        self.assertEqual(complaint.step, "done")
        self.assertTrue(complaint.closed_date)

    def test_approval_date_from_the_system(self):
        complaint = self.advance(self.complaint.with_user(self.user_own), "propose")
        complaint.write(
            {
                "solution_type": "refund",
                "solution_details": "Refund the machine.",
                "refund_amount": 1500.0,
            }
        )
        with freeze_time(NOW):
            complaint.with_user(self.user_manager).action_approve_refund()
        self.assertEqual(complaint.refund_approval_date, NOW)

    @freeze_time(NOW)
    def test_received_date_not_in_the_future(self):
        Complaint = self.env["customer.complaint"].with_user(self.user_own)
        vals = {"partner_id": self.customer_own.id}
        with self.assertRefused(ValidationError, "in the future"):
            Complaint.create(dict(vals, complaint_date=NOW + timedelta(hours=1)))
        # a few minutes of clock difference between browser and server pass
        complaint = Complaint.create(
            dict(vals, complaint_date=NOW + timedelta(minutes=4))
        )
        with self.assertRefused(ValidationError, "in the future"):
            complaint.write({"complaint_date": NOW + timedelta(days=2)})
        complaint.write({"complaint_date": NOW - timedelta(days=2)})
        self.assertEqual(complaint.complaint_date, NOW - timedelta(days=2))


@tagged("post_install", "-at_install")
class TestComplaintSolutionChange(HardeningCase):
    """A proposal changed after it was sent passes the approval gate again."""

    def test_engine_rule(self):
        for old_step, new_step, expected in (
            ("understand", "propose", None),
            ("propose", "verdict", None),
            ("verdict", "verdict", "propose"),
            ("verdict", "follow_up", "propose"),
            ("follow_up", "done", "propose"),
            ("verdict", "listen", None),
            ("follow_up", "cancelled", None),
            ("done", "done", "closed"),
            ("done", "propose", None),
            ("cancelled", "verdict", None),
        ):
            with self.subTest(old_step=old_step, new_step=new_step):
                self.assertEqual(solution_change_step(old_step, new_step), expected)

    def test_raised_refund_at_verdict_goes_back(self):
        complaint = self._to_verdict(
            self.complaint.with_user(self.user_own),
            solution_type="refund",
            refund_amount=500.0,
        )
        complaint.write({"refund_amount": 5000.0})
        self.assertEqual(complaint.step, "propose")
        self.assertTrue(complaint.refund_approval_required)
        self.assertIn("back to", complaint.message_ids[0].body)
        with self.assertRefused(UserError, "approval of the refund"):
            complaint.action_next_step()
        complaint.with_user(self.user_manager).action_approve_refund()
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")

    def test_approved_refund_changed_at_verdict_goes_back(self):
        complaint = self.advance(self.complaint.with_user(self.user_own), "propose")
        complaint.write(
            {
                "solution_type": "refund",
                "solution_details": "Refund the machine.",
                "refund_amount": 1500.0,
            }
        )
        complaint.with_user(self.user_manager).action_approve_refund()
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")
        # even with a move asked for in the same write
        complaint.write(
            {"refund_amount": 3000.0, "stage_id": self.stages["verdict"].id}
        )
        self.assertEqual(complaint.step, "propose")
        self.assertFalse(complaint.refund_approved_by_id)

    def test_changed_solution_at_follow_up_goes_back(self):
        complaint = self.advance(self.complaint.with_user(self.user_own), "follow_up")
        self.assertEqual(complaint.verdict, "accepted")
        complaint.write({"solution_details": "Replace the machine next month."})
        self.assertEqual(complaint.step, "propose")
        # sent again, it waits for a new verdict
        complaint.action_next_step()
        self.assertEqual(complaint.step, "verdict")
        self.assertFalse(complaint.verdict)

    def test_same_solution_stays(self):
        complaint = self._to_verdict(self.complaint.with_user(self.user_own))
        complaint.write(dict(STEP_FACTS["propose"]))
        self.assertEqual(complaint.step, "verdict")

    def test_closed_solution_refused(self):
        complaint = self.advance(self.complaint.with_user(self.user_own), "follow_up")
        complaint.write(
            dict(STEP_FACTS["follow_up"], followup_date=fields.Date.today())
        )
        complaint.action_next_step()
        self.assertEqual(complaint.step, "done")
        with self.assertRefused(UserError, "closed"):
            complaint.write({"solution_type": "refund", "refund_amount": 5000.0})
        self.assertEqual(complaint.solution_type, "replace")

    def test_verdict_refused_while_approval_missing(self):
        complaint = self._to_verdict(
            self.complaint.with_user(self.user_own),
            solution_type="refund",
            refund_amount=500.0,
        )
        # the limit is lowered while the customer thinks it over
        self.company.complaint_refund_approval_limit = 100.0
        with self.assertRefused(UserError, "approval"):
            complaint.action_set_verdict_accepted()
        with self.assertRefused(UserError, "approval"):
            complaint.action_set_verdict_rejected()
        self.assertEqual(complaint.step, "verdict")
        self.assertFalse(complaint.verdict)
        complaint.with_user(self.user_manager).action_approve_refund()
        complaint.action_set_verdict_accepted()
        self.assertEqual(complaint.step, "follow_up")


@tagged("post_install", "-at_install")
class TestComplaintChatterFlags(HardeningCase):
    """The workflow flags of message_post tick facts for staff only."""

    FLAGS = (
        ("apologize", "mark_complaint_apology_sent"),
        ("propose", "mark_complaint_solution_sent"),
        ("follow_up", "mark_complaint_followup_sent"),
    )

    def _prepared(self, step):
        complaint = self.advance(self._create_complaint(), step)
        if step == "propose":
            complaint.write(STEP_FACTS["propose"])
        return complaint

    def _facts(self, complaint):
        return (complaint.apology_sent, complaint.step, complaint.followup_channel)

    def test_portal_post_ticks_nothing(self):
        for step, flag in self.FLAGS:
            with self.subTest(flag=flag):
                complaint = self._prepared(step)
                before = self._facts(complaint)
                # as the portal chatter controller posts: sudo, as the portal user
                complaint.with_user(self.portal_user).sudo().with_context(
                    **{flag: True}
                ).message_post(body="Any news?", message_type="comment")
                self.assertEqual(self._facts(complaint), before)
                self.assertIn("Any news?", complaint.message_ids[0].body)

    def test_public_post_ticks_nothing(self):
        public = self.env.ref("base.public_user")
        complaint = self._prepared("apologize")
        complaint.with_user(public).sudo().with_context(
            mark_complaint_apology_sent=True
        ).message_post(body="Hello", message_type="comment")
        self.assertFalse(complaint.apology_sent)

    def test_staff_post_ticks(self):
        for step, flag in self.FLAGS:
            with self.subTest(flag=flag):
                complaint = self._prepared(step).with_user(self.user_own)
                complaint.with_context(**{flag: True}).message_post(
                    body="Sent.", message_type="comment"
                )
                self.assertEqual(
                    self._facts(complaint),
                    {
                        "apologize": (True, "apologize", False),
                        "propose": (True, "verdict", False),
                        "follow_up": (True, "follow_up", "email"),
                    }[step],
                )

    def test_staff_without_write_access_ticks_nothing(self):
        """Posting needs read access only; ticking a fact needs write access
        (here taken away by a global rule on writing)."""
        complaint = self._prepared("apologize")
        self.env["ir.rule"].create(
            {
                "name": "Read-only complaints for a test",
                "model_id": self.env.ref(
                    "customer_relationship.model_customer_complaint"
                ).id,
                "domain_force": [("id", "!=", complaint.id)],
                "perm_read": False,
                "perm_create": False,
                "perm_unlink": False,
            }
        )
        complaint.with_user(self.user_own).sudo().with_context(
            mark_complaint_apology_sent=True
        ).message_post(body="Sent.", message_type="comment")
        self.assertFalse(complaint.apology_sent)


@tagged("post_install", "-at_install")
class TestComplaintPortalHardening(HttpCase, HardeningCase):
    """What a portal user or a link can reach, as they reach it."""

    def assertShown(self, text, response):
        self.assertTrue(text in response.text, f"{text!r} not on the page")

    def assertNotShown(self, text, response):
        self.assertFalse(text in response.text, f"{text!r} on the page")

    def _post(self, url, **data):
        return self.url_open(url, data=dict(data, csrf_token=Request.csrf_token(self)))

    def _post_verdict(self, complaint, verdict, note="", **data):
        return self._post(
            f"/my/complaints/{complaint.id}/verdict",
            verdict=verdict,
            verdict_note=note,
            **data,
        )

    # Fields

    def test_portal_reads_only_what_the_portal_shows(self):
        complaint = self.complaint.with_user(self.portal_user)
        for fname in INTERNAL_FIELDS:
            with self.subTest(fname=fname):
                with self.assertRaises(AccessError):
                    complaint.read([fname])
        values = complaint.read(PORTAL_FIELDS)[0]
        self.assertEqual(values["name"], self.complaint.name)
        # and so through RPC
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "customer.complaint",
                    "method": "read",
                    "args": [[self.complaint.id], ["root_cause"]],
                    "kwargs": {},
                },
            )
        values = self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "customer.complaint",
                "method": "search_read",
                "args": [[], PORTAL_FIELDS],
                "kwargs": {},
            },
        )
        self.assertEqual([v["id"] for v in values], [self.complaint.id])
        # the pages and their chatter still work
        self.assertShown(self.complaint.name, self.url_open("/my/complaints"))
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertShown(self.complaint.name, page)
        thread = {"thread_model": "customer.complaint", "thread_id": self.complaint.id}
        # as the portal chatter asks
        data = self.make_jsonrpc_request(
            "/mail/thread/data", dict(thread, request_list=[])
        )
        self.assertTrue(data["mail.thread"][0]["hasReadAccess"])
        self._rpc_post(self.complaint, {})
        messages = self.make_jsonrpc_request("/mail/thread/messages", thread)
        self.assertTrue(messages["messages"])

    # Chatter

    def _rpc_post(self, complaint, context, **kwargs):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "customer.complaint",
                "thread_id": complaint.id,
                # as the portal composer posts
                "post_data": {
                    "body": "Any news?",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "context": context,
                **kwargs,
            },
        )

    def test_portal_chatter_context_ticks_nothing(self):
        complaint = self.advance(self.complaint, "propose")
        complaint.write(STEP_FACTS["propose"])
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        self._rpc_post(complaint, {"mark_complaint_solution_sent": True})
        self.assertEqual(complaint.step, "propose")
        self.assertIn("Any news?", complaint.message_ids[0].body)
        # nor with the link's token, unlogged
        self.authenticate(None, None)
        self._rpc_post(
            complaint,
            {"mark_complaint_solution_sent": True},
            token=complaint._portal_ensure_token(),
        )
        self.assertEqual(complaint.step, "propose")
        # the handler's post does
        self.authenticate("cr_own", "cr_own")
        self._rpc_post(complaint, {"mark_complaint_solution_sent": True})
        self.assertEqual(complaint.step, "verdict")

    def test_portal_chatter_rates_nothing(self):
        """The satisfaction comes from the survey of a closed complaint."""
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "customer.complaint",
                "thread_id": self.complaint.id,
                "post_data": {
                    "body": "Bad",
                    "message_type": "comment",
                    "rating_value": 1,
                },
            },
        )
        self.assertFalse(self.complaint.sudo().rating_ids)

    # Verdict

    def test_verdict_note_length(self):
        complaint = self._to_verdict(self.complaint)
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertShown('maxlength="2000"', page)
        response = self._post_verdict(complaint, "rejected", note="x" * 2001)
        self.assertShown("too long", response)
        self.assertEqual(complaint.step, "verdict")
        self.assertFalse(complaint.verdict)
        self._post_verdict(complaint, "rejected", note="x" * 2000)
        self.assertEqual(complaint.verdict, "rejected")

    def test_error_text_from_the_url_not_shown(self):
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        url = f"/my/complaints/{self.complaint.id}"
        for key in ("error", "warning", "success", "message"):
            with self.subTest(key=key):
                page = self.url_open(f"{url}?{key}=Call+0800+FRAUD+now")
                self.assertEqual(page.status_code, 200)
                self.assertNotShown("0800 FRAUD", page)
                self.assertNotShown('id="complaint_error"', page)
        page = self.url_open(f"{url}?message=accepted")
        self.assertShown('id="complaint_accepted"', page)

    def test_verdict_replay_changes_nothing(self):
        complaint = self._to_verdict(self.complaint)
        token = complaint._portal_ensure_token()
        self.authenticate(None, None)
        # a mail scanner opening the links records nothing
        self.url_open(complaint.get_portal_url())
        self.url_open(
            f"/my/complaints/{complaint.id}/verdict"
            f"?verdict=rejected&verdict_note=scan&access_token={token}"
        )
        self.assertFalse(complaint.verdict)
        self._post_verdict(complaint, "accepted", access_token=token)
        self.assertEqual(complaint.verdict, "accepted")
        response = self._post_verdict(
            complaint, "rejected", note="Changed my mind", access_token=token
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(complaint.verdict, "accepted")
        self.assertEqual(complaint.step, "follow_up")
        # back at the verdict step by the handler, the answer stands
        complaint.write({"stage_id": self.stages["verdict"].id})
        page = self.url_open(complaint.get_portal_url())
        self.assertNotShown("Reject the solution", page)
        response = self._post_verdict(
            complaint, "rejected", note="Changed my mind", access_token=token
        )
        self.assertShown("already answered", response)
        self.assertEqual(complaint.verdict, "accepted")
        self.assertFalse(complaint.verdict_note)

    def test_portal_verdict_refused_while_approval_missing(self):
        complaint = self._to_verdict(
            self.complaint, solution_type="refund", refund_amount=500.0
        )
        self.company.complaint_refund_approval_limit = 100.0
        self.authenticate("cr_portal_wang", "cr_portal_wang")
        page = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertNotShown("Accept the solution", page)
        response = self._post_verdict(complaint, "accepted")
        self.assertShown("still being reviewed", response)
        self.assertEqual(complaint.step, "verdict")
        self.assertFalse(complaint.verdict)

    # Rating

    def test_rating_replay_changes_nothing(self):
        token = self.complaint._rating_get_access_token()
        rating = self.complaint.sudo().rating_ids
        self.authenticate(None, None)
        # opening the link (a mail scanner does) records nothing
        self.url_open(f"/rate/{token}/5")
        self.assertFalse(rating.consumed)
        self._post(f"/rate/{token}/submit_feedback", rate=5, feedback="Thanks")
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 5)
        self._post(f"/rate/{token}/submit_feedback", rate=1, feedback="Replayed")
        self.assertEqual(rating.rating, 5)
        self.assertEqual(rating.feedback, "Thanks")
