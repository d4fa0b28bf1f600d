import re
import threading
from unittest.mock import patch

import requests

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TEST_CURSOR_COOKIE_NAME, Opener

from .common import ShowroomCase, paris

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def start_param(slot):
    return slot.strftime("%Y-%m-%dT%H:%M:%SZ")


@tagged("post_install", "-at_install")
class TestPublicPages(ShowroomCase, HttpCase):
    """A guest books through the public pages, as a browser would (forms and their CSRF
    token), and manages the appointment with the link of the e-mail."""

    def setUp(self):
        super().setUp()
        self.startPatcher(
            patch.object(fields.Datetime, "now", return_value=self.now.replace(tzinfo=None))
        )
        self.slot = paris(2026, 1, 12, 10, 0)
        self.form_url = f"/appointment/{self.consultation.id}/book?start={start_param(self.slot)}"

    def _opener(self):
        opener = Opener(self.cr)
        opener.cookies[TEST_CURSOR_COOKIE_NAME] = self.canonical_tag
        return opener

    def _form_token(self, opener=None):
        opener = opener or self.opener
        page = opener.get(self.base_url() + self.form_url, timeout=12)
        self.assertEqual(page.status_code, 200, page.text[:500])
        return CSRF.search(page.text).group(1)

    def _book(self, opener=None, **values):
        opener = opener or self.opener
        data = {
            "csrf_token": self._form_token(opener),
            "start": start_param(self.slot),
            "name": "Gustave Guest",
            "email": "gustave@example.com",
            "phone": "+33 6 22 22 22 22",
            **values,
        }
        return opener.post(
            f"{self.base_url()}/appointment/{self.consultation.id}/book",
            data=data,
            timeout=12,
            allow_redirects=False,
        )

    def _appointments(self):
        return self.env["showroom.appointment"].search([("type_id", "=", self.consultation.id)])

    def test_guest_books_and_gets_the_link(self):
        page = self.url_open(f"/appointment/{self.consultation.id}?day=2026-01-12")
        self.assertIn(start_param(self.slot), page.text)
        self.assertIn(">10:00<", page.text, "times on the showroom's wall clock")
        response = self._book(client_note="For the library")
        self.assertEqual(response.status_code, 303, response.text[:500])
        appointment = self._appointments()
        self.assertEqual(appointment.partner_id.email, "gustave@example.com")
        self.assertEqual(appointment.guest_phone, "+33 6 22 22 22 22")
        self.assertEqual(appointment.client_note, "For the library")
        self.assertIn(f"access_token={appointment.access_token}", response.headers["Location"])
        page = self.url_open(response.headers["Location"])
        self.assertIn("Monday 12 January 2026, 10:00 (Europe/Paris)", page.text)

    def test_post_without_csrf_token_books_nothing(self):
        self._form_token()  # a session, as a browser would have
        response = self.opener.post(
            f"{self.base_url()}/appointment/{self.consultation.id}/book",
            data={
                "start": start_param(self.slot),
                "name": "Forged",
                "email": "forged@example.com",
                "phone": "+33 6 33 33 33 33",
            },
            timeout=12,
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        response = self._book(csrf_token="0" * 40 + "o9999999999")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._appointments())

    def test_missing_details_and_bad_slots_are_told(self):
        response = self._book(email="not-an-email")
        self.assertEqual(response.status_code, 400)
        self.assertIn("valid e-mail", response.text)
        self.assertIn('value="Gustave Guest"', response.text, "what was typed is kept")
        self.slot = paris(2026, 1, 10, 10, 0)  # a Saturday: closed
        response = self._book()
        self.assertEqual(response.status_code, 409)
        self.assertIn("no longer available", response.text)
        self.assertFalse(self._appointments())
        self.consultation.is_published = False
        self.assertEqual(self.url_open(f"/appointment/{self.consultation.id}").status_code, 404)

    def test_rate_limited_per_email_and_per_ip(self):
        self.env["ir.config_parameter"].set_param("showroom_appointment.rate_limit_email", 2)
        self.env["ir.config_parameter"].set_param("showroom_appointment.rate_limit_ip", 3)
        self.assertEqual(self._book().status_code, 303)
        self.slot = paris(2026, 1, 12, 14, 0)
        self.assertEqual(self._book().status_code, 303)
        self.slot = paris(2026, 1, 12, 15, 0)
        refused = self._book()
        self.assertEqual(refused.status_code, 429, "third try for the same e-mail")
        self.assertEqual(self._book(email="other@example.com").status_code, 303)
        self.slot = paris(2026, 1, 12, 16, 0)
        refused = self._book(email="third@example.com")
        self.assertEqual(refused.status_code, 429, "fourth try from the same address")
        self.assertEqual(len(self._appointments()), 3)

    def test_two_guests_click_the_same_slot_at_once(self):
        """Two browsers post the one free slot at the same instant: one booking, and a clear
        word for the other. (The test server runs requests on the test's one transaction, one
        at a time; what PostgreSQL does with two real transactions is test_concurrency's.)"""
        self.consultation.assistant_ids = self.amelie
        openers = [self._opener(), self._opener()]
        forms = [
            {
                "csrf_token": self._form_token(opener),
                "start": start_param(self.slot),
                "name": f"Guest {index}",
                "email": f"guest{index}@example.com",
                "phone": "+33 6 44 44 44 44",
            }
            for index, opener in enumerate(openers)
        ]
        self.cr.flush()
        barrier = threading.Barrier(2)
        results = [None, None]

        def book(index):
            # A plain session: the test's cursor is flushed once, above, not from threads.
            session = requests.Session()
            session.cookies.update(openers[index].cookies)
            barrier.wait()
            results[index] = session.post(
                f"{self.base_url()}/appointment/{self.consultation.id}/book",
                data=forms[index],
                timeout=30,
                allow_redirects=False,
            )

        threads = [threading.Thread(target=book, args=(index,)) for index in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        codes = sorted(result.status_code for result in results)
        self.assertEqual(codes, [303, 409], [r.text[:300] for r in results])
        self.assertEqual(len(self._appointments()), 1)
        loser = next(r for r in results if r.status_code == 409)
        self.assertIn("please choose another one", loser.text)


@tagged("post_install", "-at_install")
class TestClientLink(ShowroomCase, HttpCase):
    """The link of the e-mail moves or cancels one appointment, and nothing else."""

    def setUp(self):
        super().setUp()
        self.startPatcher(
            patch.object(fields.Datetime, "now", return_value=self.now.replace(tzinfo=None))
        )
        Appointment = self.env["showroom.appointment"]
        self.mine = Appointment._book(self.consultation, paris(2026, 1, 12, 10, 0), self.client)
        other = self.env["res.partner"].create({"name": "Other", "email": "other@example.com"})
        self.theirs = Appointment._book(self.consultation, paris(2026, 1, 13, 10, 0), other)
        self.mine._portal_ensure_token()
        self.theirs._portal_ensure_token()

    def _csrf(self, url):
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200, page.text[:300])
        return CSRF.search(page.text).group(1)

    def test_link_shows_moves_and_cancels_its_own_appointment(self):
        url = self.mine.get_portal_url()
        token = self._csrf(url)
        page = self.url_open(
            f"{self.mine.access_url}/reschedule?access_token={self.mine.access_token}&day=2026-01-12"
        )
        self.assertIn(start_param(paris(2026, 1, 12, 15, 0)), page.text)
        response = self.url_open(
            f"{self.mine.access_url}/reschedule",
            data={
                "csrf_token": token,
                "access_token": self.mine.access_token,
                "start": start_param(paris(2026, 1, 12, 15, 0)),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:300])
        self.assertEqual(self.mine.start, paris(2026, 1, 12, 15, 0).replace(tzinfo=None))
        self.assertEqual(self.mine.event_id.start, self.mine.start)
        response = self.url_open(
            f"{self.mine.access_url}/cancel",
            data={"csrf_token": token, "access_token": self.mine.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.mine.state, "cancelled")
        self.assertEqual(self.theirs.state, "booked")

    def test_another_token_gets_nothing(self):
        for token in (self.theirs.access_token, "", "x" * 36, None):
            suffix = f"?access_token={token}" if token is not None else ""
            page = self.url_open(f"{self.mine.access_url}{suffix}")
            self.assertEqual(page.status_code, 404)
            self.assertNotIn("Claire", page.text)
            self.assertNotIn("10:00", page.text)
        csrf = self._csrf(self.theirs.get_portal_url())
        response = self.url_open(
            f"{self.mine.access_url}/cancel",
            data={"csrf_token": csrf, "access_token": self.theirs.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        response = self.url_open(
            f"{self.mine.access_url}/reschedule",
            data={
                "csrf_token": csrf,
                "access_token": self.theirs.access_token,
                "start": start_param(paris(2026, 1, 12, 15, 0)),
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.mine.state, "booked")
        self.assertEqual(self.mine.start, paris(2026, 1, 12, 10, 0).replace(tzinfo=None))

    def test_cancel_without_csrf_is_refused(self):
        self._csrf(self.mine.get_portal_url())
        response = self.url_open(
            f"{self.mine.access_url}/cancel",
            data={"access_token": self.mine.access_token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.mine.state, "booked")

    def test_link_expires_once_the_appointment_passed(self):
        with patch.object(
            fields.Datetime, "now", return_value=paris(2026, 1, 12, 11, 0).replace(tzinfo=None)
        ):
            page = self.url_open(self.mine.get_portal_url())
        self.assertEqual(page.status_code, 410)
        self.assertIn("expired", page.text)
        self.assertNotIn("Claire", page.text)
