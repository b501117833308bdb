# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.customer_complaint import VERDICT_NOTE_MAX_LENGTH

# What a page may say after an answer: codes of the URL, texts of the template.
PAGE_MESSAGES = ("accepted", "rejected", "filed")
# Texts portal pages would show from the URL: a link must not put words there.
URL_TEXT_PARAMS = ("error", "warning", "success")


class ComplaintPortal(CustomerPortal):
    """Customers follow their complaints and answer the proposed solution."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["customer.complaint"]
            values["complaint_count"] = (
                Complaint.search_count(self._prepare_complaints_domain())
                if Complaint.has_access("read")
                else 0
            )
        return values

    def _prepare_complaints_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _get_complaint_searchbar_sortings(self):
        return {
            "date": {
                "label": request.env._("Newest"),
                "order": "complaint_date desc, id desc",
            },
            "name": {"label": request.env._("Reference"), "order": "name desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, id desc"},
        }

    def _get_complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("step", "not in", ("done", "cancelled"))],
            },
            "verdict": {
                "label": request.env._("Waiting for Your Answer"),
                "domain": [("step", "=", "verdict")],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("step", "=", "done")],
            },
        }

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_complaints(self, page=1, sortby=None, filterby=None, **kw):
        Complaint = request.env["customer.complaint"]
        values = self._prepare_portal_layout_values()
        searchbar_sortings = self._get_complaint_searchbar_sortings()
        searchbar_filters = self._get_complaint_searchbar_filters()
        sortby = sortby if sortby in searchbar_sortings else "date"
        filterby = filterby if filterby in searchbar_filters else "all"
        domain = (
            self._prepare_complaints_domain() + searchbar_filters[filterby]["domain"]
        )
        if not Complaint.has_access("read"):
            domain = [("id", "=", False)]
        pager = portal_pager(
            url="/my/complaints",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Complaint.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                # sudo: found with the user's rules; the page reads related records
                "complaints": complaints.sudo(),
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
                "searchbar_filters": searchbar_filters,
                "filterby": filterby,
            }
        )
        return request.render("customer_relationship.portal_my_complaints", values)

    def _complaint_get_page_view_values(self, complaint, access_token, **kwargs):
        message = kwargs.get("message")
        values = {
            "page_name": "complaint",
            "complaint": complaint,
            "message": message if message in PAGE_MESSAGES else None,
            "verdict_open": complaint._portal_verdict_open(),
            "verdict_note_max_length": VERDICT_NOTE_MAX_LENGTH,
        }
        kwargs = {k: v for k, v in kwargs.items() if k not in URL_TEXT_PARAMS}
        return self._get_page_view_values(
            complaint,
            access_token,
            values,
            "my_complaints_history",
            False,
            **kwargs,
        )

    @http.route(
        ["/my/complaints/<int:complaint_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access(
                "customer.complaint", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._complaint_get_page_view_values(
            complaint_sudo, access_token, **kw
        )
        return request.render("customer_relationship.portal_my_complaint", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/verdict"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_verdict(
        self, complaint_id, access_token=None, verdict=None, verdict_note=None, **kw
    ):
        try:
            complaint_sudo = self._document_check_access(
                "customer.complaint", complaint_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        user = request.env.user
        author = (
            complaint_sudo.contact_id or complaint_sudo.partner_id
            if user._is_public()
            else user.partner_id
        )
        try:
            with request.env.cr.savepoint():
                complaint_sudo._portal_set_verdict(verdict, verdict_note, author)
        except UserError as error:
            values = self._complaint_get_page_view_values(complaint_sudo, access_token)
            values["error"] = error.args[0]
            return request.render("customer_relationship.portal_my_complaint", values)
        return request.redirect(
            complaint_sudo.get_portal_url(query_string=f"&message={verdict}")
        )

    # ------------------------------------------------------------
    # FILE A COMPLAINT
    # ------------------------------------------------------------

    def _complaint_new_values(self, post=None, error=None):
        partner = request.env.user.partner_id
        Complaint = request.env["customer.complaint"]
        orders = Complaint._portal_orders(partner)
        return {
            "page_name": "complaint_new",
            "orders": orders,
            # sudo: the products of the customer's own orders, for the choice
            "order_products": Complaint._portal_order_products(orders).sudo(),
            "post": post or {},
            "error": error,
            "limits": Complaint._portal_limits(),
        }

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def portal_complaint_new(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._complaint_new_values())
        return request.render("customer_relationship.portal_complaint_new", values)

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_create(self, **post):
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        try:
            with request.env.cr.savepoint():
                complaint = request.env["customer.complaint"]._portal_file_complaint(
                    request.env.user,
                    subject=post.get("subject"),
                    words=post.get("customer_words"),
                    order_id=post.get("sale_order_id"),
                    product_id=post.get("product_id"),
                    files=files,
                )
        except (UserError, ValidationError) as error:
            values = self._prepare_portal_layout_values()
            values.update(self._complaint_new_values(post, error.args[0]))
            return request.render("customer_relationship.portal_complaint_new", values)
        return request.redirect(f"/my/complaints/{complaint.id}?message=filed")
