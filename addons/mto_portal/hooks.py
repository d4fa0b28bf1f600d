from lxml import etree

from odoo.tools.misc import file_path

# Odoo's rules this module narrows (security/mto_portal_rules.xml), by xml id in `purchase`.
NARROWED_PURCHASE_RULES = ("portal_purchase_order_user_rule", "portal_purchase_order_line_rule")


def _purchase_rule_domains():
    """{xml id: domain} of the narrowed rules as Odoo's purchase module defines them."""
    tree = etree.parse(file_path("purchase/security/purchase_security.xml"))
    return {
        name: tree.xpath(f"//record[@id='{name}']/field[@name='domain_force']")[0].text
        for name in NARROWED_PURCHASE_RULES
    }


def uninstall_hook(env):
    """Give Odoo's purchase rules back their own domains: ours name fields that leave with
    the suite, and a rule on a missing field would break every vendor's portal."""
    for name, domain in _purchase_rule_domains().items():
        rule = env.ref(f"purchase.{name}", raise_if_not_found=False)
        if rule:
            rule.domain_force = domain
