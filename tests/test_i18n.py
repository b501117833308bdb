# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Chinese translations cover every term of the template, keep its
placeholders and use the business terms of the specification."""

import os
import re
from collections import Counter

import polib

from odoo.modules.module import get_module_path
from odoo.tests import BaseCase, tagged

LANGUAGES = ("zh_CN", "zh_TW")
# %(name)s, %s, %d... (after removing the literal "%%") and {{ expressions }}.
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[a-z]|%[a-z]|\{\{.*?\}\}")

# Terms of the specification (English msgid -> what its msgstr must contain;
# several values: any of them).
SPEC_TERMS = {
    "zh_CN": {
        "Golden": ("黄金",),
        "Meteor": ("流星",),
        "Small Star": ("小星",),
        "Burden": ("负担",),
        "Strategic Alliance": ("战略联盟",),
        "Preferred Supplier": ("优先供应商",),
        "Buyer": ("买卖关系",),
        "Partner": ("合作伙伴",),
        "Potential": ("潜在",),
        "Mature": ("成熟",),
        "Loyal": ("忠诚",),
        "Dormant (temporary)": ("沉睡", "沉默"),
        "Dormant (permanent)": ("永久性沉睡",),
        "Core": ("重点",),
        "Develop": ("扶持",),
        "Balance": ("平衡",),
        "Phase Out": ("逐步淘汰",),
        "Interested": ("有兴趣",),
        "Hesitating": ("犹豫",),
        "Not Now": ("暂时不买",),
        "Will Not Buy": ("肯定不买",),
        "Quoted, No Reply": ("已报价无回馈",),
        "Never Purchased": ("从未购买",),
        "Share of Wallet": ("钱包份额",),
        "Key Person": ("关键人物",),
        "Blacklist": ("黑名单",),
        "Customer Handover": ("客户交接",),
        "Customer Tier": ("客户等级",),
        "Relationship Level": ("客户关系层次",),
        "Value Segment": ("客户价值类型",),
        "Loyalty Score": ("忠诚度",),
        "Luxury Relationship": ("奢侈的关系",),
        "Customer Follow-up": ("跟进",),
        "Customer Complaint": ("客户投诉",),
        "Listen": ("鼓励顾客发泄",),
        "Apologise and Thank": ("道歉及感谢顾客",),
        "Understand": ("了解问题所在",),
        "Take Responsibility and Propose": ("承担责任", "提出解决方案"),
        "Customer's Verdict": ("让顾客参与意见",),
        "Follow-up": ("跟踪服务",),
    },
    "zh_TW": {
        "Golden": ("黃金",),
        "Meteor": ("流星",),
        "Small Star": ("小星",),
        "Burden": ("負擔",),
        "Strategic Alliance": ("聯盟",),
        "Dormant (temporary)": ("沉睡", "沉默"),
        "Blacklist": ("黑名單",),
        "Key Person": ("關鍵人物",),
        "Customer Tier": ("客戶等級",),
        "Listen": ("鼓勵顧客發洩",),
    },
}


def _placeholders(text):
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


@tagged("post_install", "-at_install")
class TestTranslations(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        i18n = os.path.join(get_module_path("customer_relationship"), "i18n")
        cls.pot = polib.pofile(os.path.join(i18n, "customer_relationship.pot"))
        cls.po = {
            lang: polib.pofile(os.path.join(i18n, lang + ".po")) for lang in LANGUAGES
        }

    def _translations(self, lang):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr
            for entry in self.po[lang]
            if not entry.obsolete
        }

    def test_template_not_empty(self):
        self.assertGreater(len(self.pot), 100)

    def test_every_term_translated(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                translations = self._translations(lang)
                missing = [
                    entry.msgid
                    for entry in self.pot
                    if not entry.obsolete
                    and not translations.get((entry.msgctxt, entry.msgid))
                ]
                self.assertFalse(
                    missing,
                    "%s: %d term(s) of the .pot are not translated, e.g. %r"
                    % (lang, len(missing), missing[:5]),
                )

    def test_placeholders_kept(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                wrong = [
                    (entry.msgid, entry.msgstr)
                    for entry in self.po[lang]
                    if entry.msgstr
                    and _placeholders(entry.msgid) != _placeholders(entry.msgstr)
                ]
                self.assertFalse(
                    wrong, "%s: placeholders differ from the msgid: %r" % (lang, wrong)
                )

    def test_no_untranslated_copy(self):
        for lang in LANGUAGES:
            with self.subTest(lang=lang):
                copies = [
                    entry.msgid
                    for entry in self.po[lang]
                    if entry.msgstr and entry.msgstr == entry.msgid
                ]
                self.assertFalse(
                    copies, "%s: msgstr equal to the msgid: %r" % (lang, copies)
                )

    def test_spec_terms(self):
        for lang, terms in SPEC_TERMS.items():
            translations = {
                msgid: msgstr
                for (_ctx, msgid), msgstr in self._translations(lang).items()
            }
            for msgid, expected in terms.items():
                with self.subTest(lang=lang, msgid=msgid):
                    self.assertTrue(
                        msgid in translations, "%r is not in the .po" % msgid
                    )
                    msgstr = translations[msgid]
                    self.assertTrue(
                        any(term in msgstr for term in expected),
                        "%s: %r is translated %r, expected one of %r"
                        % (lang, msgid, msgstr, expected),
                    )

    def test_salesperson_wording(self):
        """zh_TW says 銷售員 throughout (not a mix with 業務員)."""
        self.assertFalse(
            [e.msgid for e in self.po["zh_TW"] if "業務員" in e.msgstr],
        )
