from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.translate import code_translations

from ..models.purchase_order_workflow import MTO_TRANSITIONS
from .common import MtoProductionCase

FRENCH = {
    "%(order)s is %(state)s: it cannot be accepted now.": (
        "%(order)s est %(state)s : elle ne peut pas être acceptée maintenant."
    ),
    "%(order)s is %(state)s: it cannot be started now.": (
        "%(order)s est %(state)s : sa production ne peut pas commencer maintenant."
    ),
}


@tagged("post_install", "-at_install")
class TestWorkflowMessages(MtoProductionCase):
    """A refused production step says so in the user's language: its own sentence, the
    state's own label."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        states = cls.env["ir.model.fields.selection"].search(
            [
                ("field_id.model", "=", "purchase.order"),
                ("field_id.name", "=", "mto_state"),
                ("value", "in", ("accepted", "awaiting")),
            ]
        )
        for state in states.with_context(lang="fr_FR"):
            state.name = {"accepted": "Acceptée", "awaiting": "Chez le fabricant"}[state.value]
        cls.env.registry.clear_cache()

    def setUp(self):
        super().setUp()
        key = ("mto_production", "fr_FR")
        saved = code_translations.python_translations.get(key)
        code_translations.python_translations[key] = dict(saved or {}, **FRENCH)
        self.addCleanup(
            lambda: (
                code_translations.python_translations.pop(key)
                if saved is None
                else code_translations.python_translations.__setitem__(key, saved)
            )
        )

    def _purchase(self):
        order = self._sell((self.table, 1))
        self._measure(order.order_line, width=220, height=75)
        self._attach(order.order_line, self.doc_cad)
        self._pay(order)
        purchase = self._purchase_orders(order)
        purchase.action_mto_validate()
        return purchase.with_context(lang="fr_FR")

    def test_refusals_are_whole_translated_sentences(self):
        purchase = self._purchase()
        with self.assertRaises(UserError) as refused:
            purchase.action_mto_start()
        self.assertEqual(
            refused.exception.args[0],
            f"{purchase.name} est Chez le fabricant : sa production ne peut pas commencer "
            "maintenant.",
        )
        purchase.action_mto_accept()
        with self.assertRaises(UserError) as refused:
            purchase.action_mto_accept()
        self.assertEqual(
            refused.exception.args[0],
            f"{purchase.name} est Acceptée : elle ne peut pas être acceptée maintenant.",
        )

    def test_every_step_has_its_own_sentence(self):
        purchase = self._purchase().with_context(lang="en_US")
        purchase.action_mto_accept()
        refused = [step for step in MTO_TRANSITIONS if not purchase._mto_can(step)]
        self.assertEqual(
            refused, ["validate", "accept", "decline", "complete", "rework", "reassign"]
        )
        sentences = {purchase._mto_refusal(step) for step in refused}
        self.assertEqual(len(sentences), len(refused), "no two steps share a sentence")
        self.assertIn(
            f"{purchase.name} is Accepted: it cannot be sent back for rework now.", sentences
        )
