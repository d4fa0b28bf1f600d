from datetime import date

from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.purchase.controllers.portal import CustomerPortal as PurchasePortal

from ..models.purchase_order import PORTAL_STATES
from ..models.res_partner import MANUFACTURER_PROFILE_FIELDS

PAGE_SIZE = 20
# What the list shows of each order (fetched with the search, in the same query).
LIST_FIELDS = (
    "name",
    "origin",
    "mto_requested_date",
    "mto_expected_date",
    "date_order",
    "amount_total",
    "currency_id",
    "mto_state",
    "access_token",
)
# Completion photos: what a phone takes, judged by the file's content, not by what the
# browser claims; a few per completion, each and all together of a bounded size.
PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/webp")
MAX_PHOTOS = 10
MAX_PHOTO_BYTES = 15 * 1024 * 1024
MAX_PHOTOS_BYTES = 60 * 1024 * 1024
# action posted from the portal: (purchase.order method, needs a reason)
PORTAL_ACTIONS = {
    "accept": "action_mto_accept",
    "decline": "_mto_decline",
    "start": "action_mto_start",
    "complete": "action_mto_complete",
}


class ManufacturerPortal(CustomerPortal):
    # ------------------------------------------------------------------ helpers

    def _mto_domain(self):
        return request.env["purchase.order"]._mto_portal_domain(request.env.user.partner_id)

    def _mto_order(self, order_id):
        """The order if this user's manufacturer works on it, else 404 (no hint it exists).

        The record rules decide first (the order is read as the user), then the portal's own
        domain (made-to-order, past validation, this manufacturer's).
        """
        if not request.env.user._is_portal() and not request.env.user._is_internal():
            raise NotFound()
        order = request.env["purchase.order"].browse(order_id)
        try:
            order.check_access("read")
            if not order.exists() or not order.filtered_domain(self._mto_domain()):
                raise NotFound()
        except (AccessError, MissingError):
            raise NotFound() from None
        return order

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "mto_production_count" in counters:
            orders = request.env["purchase.order"]
            values["mto_production_count"] = (
                orders.search_count(self._mto_domain()) if orders.has_access("read") else 0
            )
        return values

    def _mto_searchbar(self):
        sortings = {
            "due": {"label": _("Due date"), "order": "mto_requested_date asc, id desc"},
            "state": {"label": _("State"), "order": "mto_state asc, mto_requested_date asc"},
            "value": {"label": _("Value"), "order": "amount_total desc, id desc"},
            "date": {"label": _("Order date"), "order": "date_order desc, id desc"},
        }
        labels = dict(
            request.env["purchase.order"]._fields["mto_state"]._description_selection(request.env)
        )
        filters = {"all": {"label": _("All"), "domain": []}}
        for state in PORTAL_STATES:
            filters[state] = {"label": labels[state], "domain": [("mto_state", "=", state)]}
        inputs = {
            "all": {"input": "all", "label": _("Search everywhere")},
            "name": {"input": "name", "label": _("Order reference")},
            "customer_ref": {"input": "customer_ref", "label": _("Customer reference")},
            "product": {"input": "product", "label": _("Product")},
            "date": {"input": "date", "label": _("Order date (YYYY-MM-DD)")},
        }
        return sortings, filters, inputs

    def _mto_search_domain(self, search_in, search):
        if not search:
            return [], None
        parts = {
            "name": [("name", "ilike", search)],
            "customer_ref": [("origin", "ilike", search)],
            "product": [("order_line.product_id", "ilike", search)],
        }
        if search_in == "date" or (search_in == "all" and search[:1].isdigit()):
            try:
                day = date.fromisoformat(search.strip())
            except ValueError:
                if search_in == "date":
                    return [("id", "=", 0)], _(
                        "%(date)s is not a date like 2026-11-30.", date=search
                    )
            else:
                return [
                    ("date_order", ">=", fields.Datetime.to_string(day)),
                    ("date_order", "<", fields.Datetime.to_string(fields.Date.add(day, days=1))),
                ], None
        if search_in in parts:
            return parts[search_in], None
        return expression.OR(list(parts.values())), None

    # ------------------------------------------------------------------ list and details

    @http.route(
        ["/my/production", "/my/production/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_production(
        self, page=1, sortby="due", filterby="all", search_in="all", search="", **kw
    ):
        orders = request.env["purchase.order"]
        sortings, filters, inputs = self._mto_searchbar()
        sortby = sortby if sortby in sortings else "due"
        filterby = filterby if filterby in filters else "all"
        search_in = search_in if search_in in inputs else "all"
        search_domain, warning = self._mto_search_domain(search_in, search)
        base_domain = expression.AND([self._mto_domain(), search_domain])
        domain = expression.AND([base_domain, filters[filterby]["domain"]])
        # Counts per state, for the same search (they match what each filter would list); the
        # total for the pager comes from them too (one pass over the orders, not two).
        state_counts = dict(orders._read_group(base_domain, ["mto_state"], ["__count"]))
        state_total = sum(state_counts.values())
        total = state_total if filterby == "all" else state_counts.get(filterby, 0)
        pager = portal_pager(
            url="/my/production",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=total,
            page=page,
            step=PAGE_SIZE,
        )
        # The page's orders and what the list shows of them in one query, under the same
        # record rules (a search then a read would apply them twice).
        records = orders.search_fetch(
            domain,
            LIST_FIELDS,
            order=sortings[sortby]["order"],
            limit=PAGE_SIZE,
            offset=pager["offset"],
        )

        values = self._prepare_portal_layout_values()
        values.update(
            {
                "orders": records,
                "page_name": "mto_production",
                "pager": pager,
                "default_url": "/my/production",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
                "state_counts": state_counts,
                "state_total": state_total,
                "warning": warning,
            }
        )
        return request.render("mto_portal.portal_my_production", values)

    @http.route(["/my/production/<int:order_id>"], type="http", auth="user", website=True)
    def portal_my_production_order(self, order_id, message=None, error=None, **kw):
        kw.pop("access_token", None)  # a token opens nothing here: the login does
        order = self._mto_order(order_id)
        values = {
            # Not "order": Odoo's purchase breadcrumbs react to that name.
            "mto_order": order,
            # Read once access is established: specification, files, pieces of this order.
            "lines": order.sudo().order_line.filtered(lambda line: not line.display_type),
            "files": order.sudo().mto_file_ids,
            "pieces": order.sudo().mto_piece_ids,
            "photos": order.sudo()._mto_portal_photos(),
            "page_name": "mto_production_order",
            "message": message,
            "error": error,
        }
        values = self._get_page_view_values(
            order, None, values, "my_production_history", False, **kw
        )
        return request.render("mto_portal.portal_my_production_order", values)

    # ------------------------------------------------------------------ actions

    def _mto_back(self, order, message=None, error=None):
        args = {"message": message} if message else {"error": error}
        return request.redirect(f"/my/production/{order.id}?{http.url_encode(args)}")

    @http.route(
        ["/my/production/<int:order_id>/<string:step>"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_production_step(self, order_id, step, reason=None, **post):
        """Accept, decline, start, complete: checked server-side, CSRF-protected (Odoo's
        default for POST routes), logged in the chatter by the order's own transitions."""
        if step not in PORTAL_ACTIONS and step != "expected_date":
            raise NotFound()
        order = self._mto_order(order_id)
        try:
            if step == "expected_date":
                return self._mto_update_expected_date(order, post.get("expected_date"))
            photos = []
            if step == "complete":
                # Checked before the order moves: a refused photo completes nothing.
                photos = self._mto_read_photos(request.httprequest.files.getlist("photos"))
            method = getattr(
                order.sudo().with_context(mto_portal_user=request.env.user.id), PORTAL_ACTIONS[step]
            )
            if step == "decline":
                if not (reason or "").strip():
                    return self._mto_back(order, error=_("Please say why you decline."))
                method(reason.strip())
            else:
                method()
            self._mto_attach_photos(order, photos)
        except (UserError, ValidationError) as exc:
            request.env.cr.rollback()
            return self._mto_back(order, error=exc.args[0])
        done = {
            "accept": _("Order accepted: the piece codes are ready."),
            "decline": _("Order declined."),
            "start": _("Production started."),
            "complete": _("Marked as completed."),
        }
        return self._mto_back(order, message=done[step])

    def _mto_update_expected_date(self, order, value):
        try:
            expected = fields.Date.to_date(value)
        except ValueError:
            expected = None
        if not expected:
            return self._mto_back(order, error=_("Please give a date."))
        if expected < fields.Date.context_today(order):
            return self._mto_back(order, error=_("The expected date cannot be in the past."))
        if not order._mto_can("expected_date"):
            return self._mto_back(order, error=order._mto_refusal("expected_date"))
        order.sudo().mto_expected_date = expected
        order.sudo()._mto_notify(
            _("%(user)s expects completion on %(date)s.", user=request.env.user.name, date=expected)
        )
        return self._mto_back(order, message=_("Expected completion date updated."))

    def _mto_read_photos(self, uploads):
        """[(file name, bytes)] of the uploaded photos, or a UserError saying which is wrong."""
        uploads = [upload for upload in uploads if upload and upload.filename]
        if len(uploads) > MAX_PHOTOS:
            raise UserError(_("Please send at most %(count)s photos at once.", count=MAX_PHOTOS))
        photos, total = [], 0
        for upload in uploads:
            data = upload.read(MAX_PHOTO_BYTES + 1)
            if len(data) > MAX_PHOTO_BYTES:
                raise UserError(_("%(name)s is larger than 15 MB.", name=upload.filename))
            total += len(data)
            if total > MAX_PHOTOS_BYTES:
                raise UserError(_("The photos together are larger than 60 MB."))
            if guess_mimetype(data) not in PHOTO_MIMETYPES:
                raise UserError(
                    _(
                        "%(name)s is not a photo (JPEG, PNG or WebP).",
                        name=upload.filename,
                    )
                )
            photos.append((upload.filename, data))
        return photos

    def _mto_attach_photos(self, order, photos):
        if photos:
            order.sudo().message_post(
                body=Markup("<p>%s</p>") % _("Photos of the finished pieces."),
                attachments=photos,
                author_id=request.env.user.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------------ downloads

    @http.route(["/my/production/<int:order_id>/labels"], type="http", auth="user", website=True)
    def portal_my_production_labels(self, order_id, **kw):
        order = self._mto_order(order_id)
        if not order.sudo().mto_piece_ids:
            return self._mto_back(order, error=_("Piece codes are created when you accept."))
        return self._show_report(
            order.sudo(), "pdf", "mto_production.action_report_mto_piece_labels", download=True
        )

    @http.route(
        ["/my/production/<int:order_id>/file/<int:file_id>"], type="http", auth="user", website=True
    )
    def portal_my_production_file(self, order_id, file_id, **kw):
        order = self._mto_order(order_id)
        production_file = order.sudo().mto_file_ids.filtered(lambda f: f.id == file_id)
        if not production_file:
            raise NotFound()
        production_file.with_user(request.env.user).check_access("read")
        return (
            request.env["ir.binary"]
            ._get_stream_from(
                production_file,
                "file",
                filename=production_file.file_name or production_file.name,
            )
            .get_response(as_attachment=True)
        )

    # ------------------------------------------------------------------ profile

    @http.route(
        ["/my/production/profile"], type="http", auth="user", website=True, methods=["GET", "POST"]
    )
    def portal_my_production_profile(self, **post):
        company = request.env.user.partner_id.commercial_partner_id
        if not company.is_manufacturer:
            raise NotFound()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "manufacturer": company,
                "page_name": "mto_profile",
                "countries": request.env["res.country"].sudo().search([]),
            }
        )
        if request.httprequest.method == "POST":
            vals = {
                key: post.get(key) or False for key in MANUFACTURER_PROFILE_FIELDS if key in post
            }
            if "country_id" in vals:
                vals["country_id"] = (
                    int(vals["country_id"]) if str(vals["country_id"]).isdigit() else False
                )
            if "mto_lead_time_days" in vals:
                try:
                    vals["mto_lead_time_days"] = int(vals["mto_lead_time_days"] or 0)
                except ValueError:
                    values["error"] = _("The lead time is a number of days.")
                    return request.render("mto_portal.portal_my_production_profile", values)
            try:
                company.sudo().write(vals)
                values["message"] = _("Your details were saved.")
            except (UserError, ValidationError) as exc:
                request.env.cr.rollback()
                values["error"] = exc.args[0]
        return request.render("mto_portal.portal_my_production_profile", values)


class ManufacturerPurchasePortal(PurchasePortal):
    def _document_check_access(self, model_name, document_id, access_token=None):
        """Made-to-order orders open to their manufacturer's login only: an access token
        (however obtained: an old e-mail, a reassigned order) opens none of Odoo's purchase
        routes (the page, its report, date updates, EDI downloads)."""
        if model_name == "purchase.order" and request.env[model_name]._mto_login_only(document_id):
            access_token = None
        return super()._document_check_access(model_name, document_id, access_token=access_token)

    @http.route()
    def portal_my_purchase_order(self, order_id=None, access_token=None, **kw):
        """Made-to-order orders live on /my/production. Whoever may not open one gets
        Odoo's own answer for any order they may not open, so an id tells nothing."""
        if request.env["purchase.order"]._mto_login_only(order_id):
            try:
                self._document_check_access("purchase.order", order_id)
            except (AccessError, MissingError):
                return request.redirect("/my")
            return request.redirect(f"/my/production/{order_id}")
        return super().portal_my_purchase_order(order_id=order_id, access_token=access_token, **kw)
